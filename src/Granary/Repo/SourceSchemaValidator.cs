using Granary.Definitions;
using Granary.Offline;
using Granary.Transformations;

namespace Granary.Repo;

/// <summary>
/// Checks definitions against the data: each view's source exists and has the timestamp, join key
/// and feature columns (after field mapping) with types compatible with the declared ones; each
/// aggregation's column exists and has a type its function can take. Aggregation views learn their
/// column types here (<see cref="Aggregation.ColumnType"/>).
/// </summary>
public static class SourceSchemaValidator
{
    /// <summary>
    /// Checks every view against its source and returns the definitions with the aggregation views'
    /// column types filled in, or one line per problem.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Errors, DefinitionSet Resolved)> ValidateAsync(
        DefinitionSet set, OfflineStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(store);
        var errors = new List<string>();
        var described = new Dictionary<string, IReadOnlyList<SourceColumn>?>(StringComparer.Ordinal);

        async Task<Dictionary<string, SourceColumn>?> ColumnsAsync(Definition view, DataSource source, string where)
        {
            if (!described.TryGetValue(source.Name, out var columns))
            {
                try
                {
                    columns = await store.DescribeSourceAsync(source, cancellationToken).ConfigureAwait(false);
                }
                catch (GranaryException e)
                {
                    var sourceWhere = set.LocationOf(source) is { } sl ? $"{sl}: " : where;
                    // A store's message may already name the source ("file_source 's' path: ..."): name it once.
                    var named = $"{source.Kind} '{source.Name}'";
                    errors.Add(e.Message.StartsWith(named, StringComparison.Ordinal) ? $"{sourceWhere}{e.Message}" : $"{sourceWhere}{named}: {e.Message}");
                    columns = null;
                }

                described[source.Name] = columns;
            }

            if (columns is null)
            {
                return null;
            }

            if (columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                errors.Add($"{where}{view.Kind} '{view.Name}': source '{source.Name}' has the column '{twice.Key}' twice; give each column one name");
                return null;
            }

            return columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        }

        // Looks up a column of the source by its Granary name; reports it missing or of the wrong type.
        SourceColumn? Check(
            Definition view, DataSource source, Dictionary<string, SourceColumn> byName, string where,
            string name, string role, Func<SourceColumn, bool> compatible, string expected)
        {
            var columnName = source.SourceColumn(name);
            var shown = columnName == name ? $"'{name}'" : $"'{columnName}' (mapped to '{name}')";
            if (!byName.TryGetValue(columnName, out var column))
            {
                errors.Add($"{where}{view.Kind} '{view.Name}': source '{source.Name}' has no column {shown} for the {role}; its columns are {string.Join(", ", byName.Keys)}");
                return null;
            }

            if (!compatible(column))
            {
                errors.Add($"{where}{view.Kind} '{view.Name}': column {shown} of source '{source.Name}' is {column.NativeType}, but the {role} needs {expected}");
                return null;
            }

            return column;
        }

        void CheckTimesAndKeys(Definition view, IReadOnlyList<string> entities, DataSource source, Dictionary<string, SourceColumn> byName, string where)
        {
            Check(view, source, byName, where, source.TimestampField, "timestamp field", c => c.IsTimestamp, "a timestamp");
            if (source.CreatedTimestampColumn is { } created)
            {
                Check(view, source, byName, where, created, "created timestamp column", c => c.IsTimestamp, "a timestamp");
            }

            foreach (var entity in entities.Select(set.FindEntity).OfType<Entity>())
            {
                foreach (var key in entity.JoinKeys)
                {
                    Check(view, source, byName, where, key, $"join key of entity '{entity.Name}'", c => IsCompatible(entity.ValueType, c.Type), entity.ValueType.ToString());
                }
            }
        }

        foreach (var view in set.FeatureViews)
        {
            var where = Where(set, view);
            if (set.BatchSourceOf(view.Source) is not { } source || await ColumnsAsync(view, source, where).ConfigureAwait(false) is not { } byName)
            {
                continue; // a missing source is reported by DefinitionValidator
            }

            CheckTimesAndKeys(view, view.Entities, source, byName, where);
            foreach (var field in view.Schema)
            {
                Check(view, source, byName, where, field.Name, $"feature '{field.Name}'", c => IsCompatible(field.Dtype, c.Type), field.Dtype.ToString());
            }
        }

        var aggregationViews = new List<AggregationView>();
        foreach (var view in set.AggregationViews)
        {
            var where = Where(set, view);
            if (set.BatchSourceOf(view.Source) is not { } source || await ColumnsAsync(view, source, where).ConfigureAwait(false) is not { } byName)
            {
                aggregationViews.Add(view);
                continue;
            }

            CheckTimesAndKeys(view, view.Entities, source, byName, where);
            var aggregations = new List<Aggregation>();
            foreach (var aggregation in view.Aggregations)
            {
                if (aggregation.Column is not { } name)
                {
                    aggregations.Add(aggregation);
                    continue;
                }

                var function = AggregationView.FunctionName(aggregation.Function);
                var (takes, expected) = Accepts(aggregation.Function);
                var column = Check(view, source, byName, where, name, $"{function} of '{name}'", c => c.Type is { } t && takes(t), expected);
                aggregations.Add(aggregation with { ColumnType = column?.Type });
            }

            aggregationViews.Add(view with { Aggregations = aggregations });
        }

        var resolved = set with { AggregationViews = aggregationViews };

        // On-demand views that read aggregation features are type-checked once those have types.
        foreach (var view in resolved.OnDemandFeatureViews.Where(v => v.Sources.Any(s => resolved.FindAggregationView(s) is not null)))
        {
            errors.AddRange(OnDemandTransformation.Validate(view, resolved));
        }

        return (errors, resolved);
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

    /// <summary>Which column types a function takes, and how to say so.</summary>
    private static (Func<DataType, bool> Takes, string Expected) Accepts(AggregationFunction function) => function switch
    {
        AggregationFunction.Count => (_ => true, "any column"),
        AggregationFunction.Sum or AggregationFunction.Avg or AggregationFunction.Stddev => (t => t.IsNumeric, "a number (int32, int64, float32 or float64)"),
        AggregationFunction.Min or AggregationFunction.Max =>
            (t => t.IsNumeric || (!t.IsList && t.Scalar is ScalarType.String or ScalarType.UnixTimestamp), "a number, a string or a timestamp"),
        _ => (t => !t.IsList, "a single value, not a list"),
    };

    private static string Where(DefinitionSet set, Definition view) => set.LocationOf(view) is { } l ? $"{l}: " : string.Empty;
}
