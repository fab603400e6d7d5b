using Granary.Definitions;
using Granary.Offline;

namespace Granary.Repo;

/// <summary>
/// Checks definitions against the data: each view's source exists and has the timestamp, join key
/// and feature columns (after field mapping) with types compatible with the declared ones.
/// </summary>
public static class SourceSchemaValidator
{
    /// <summary>One line per problem, empty when every view matches its source.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(
        DefinitionSet set, OfflineStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(store);
        var errors = new List<string>();
        var described = new Dictionary<string, IReadOnlyList<SourceColumn>?>(StringComparer.Ordinal);
        foreach (var view in set.FeatureViews)
        {
            var source = set.BatchSourceOf(view);
            if (source is null)
            {
                continue; // reported by DefinitionValidator
            }

            var where = set.LocationOf(view) is { } l ? $"{l}: " : string.Empty;
            if (!described.TryGetValue(source.Name, out var columns))
            {
                try
                {
                    columns = await store.DescribeSourceAsync(source, cancellationToken).ConfigureAwait(false);
                }
                catch (GranaryException e)
                {
                    var sourceWhere = set.LocationOf(source) is { } sl ? $"{sl}: " : where;
                    errors.Add($"{sourceWhere}{source.Kind} '{source.Name}': {e.Message}");
                    columns = null;
                }

                described[source.Name] = columns;
            }

            if (columns is null)
            {
                continue;
            }

            if (columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                errors.Add($"{where}feature_view '{view.Name}': source '{source.Name}' has the column '{twice.Key}' twice; give each column one name");
                continue;
            }

            var byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
            void Check(string name, string role, Func<SourceColumn, bool> compatible, string expected)
            {
                var columnName = source.SourceColumn(name);
                var shown = columnName == name ? $"'{name}'" : $"'{columnName}' (mapped to '{name}')";
                if (!byName.TryGetValue(columnName, out var column))
                {
                    errors.Add($"{where}feature_view '{view.Name}': source '{source.Name}' has no column {shown} for the {role}; its columns are {string.Join(", ", columns.Select(c => c.Name))}");
                }
                else if (!compatible(column))
                {
                    errors.Add($"{where}feature_view '{view.Name}': column {shown} of source '{source.Name}' is {column.NativeType}, but the {role} needs {expected}");
                }
            }

            Check(source.TimestampField, "timestamp field", c => c.IsTimestamp, "a timestamp");
            if (source.CreatedTimestampColumn is { } created)
            {
                Check(created, "created timestamp column", c => c.IsTimestamp, "a timestamp");
            }

            foreach (var entityName in view.Entities)
            {
                if (set.FindEntity(entityName) is not { } entity)
                {
                    continue;
                }

                foreach (var key in entity.JoinKeys)
                {
                    Check(key, $"join key of entity '{entity.Name}'", c => IsCompatible(entity.ValueType, c.Type), entity.ValueType.ToString());
                }
            }

            foreach (var field in view.Schema)
            {
                Check(field.Name, $"feature '{field.Name}'", c => IsCompatible(field.Dtype, c.Type), field.Dtype.ToString());
            }
        }

        return errors;
    }

    /// <summary>Whether source data of type <paramref name="actual"/> can be read as <paramref name="declared"/> without loss of meaning.</summary>
    public static bool IsCompatible(DataType declared, DataType? actual)
    {
        if (actual is not { } a || a.IsList != declared.IsList)
        {
            return false;
        }

        return declared.Scalar switch
        {
            ScalarType.Int32 or ScalarType.Int64 => a.Scalar is ScalarType.Int32 or ScalarType.Int64,
            ScalarType.Float32 or ScalarType.Float64 => a.Scalar is ScalarType.Int32 or ScalarType.Int64 or ScalarType.Float32 or ScalarType.Float64,
            _ => a.Scalar == declared.Scalar,
        };
    }
}
