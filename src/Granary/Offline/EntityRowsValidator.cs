using Granary.Definitions;
using Granary.Repo;

namespace Granary.Offline;

/// <summary>
/// The checks every offline store makes on a historical request's entity rows, so that each store
/// fails with the same message for the same mistake.
/// </summary>
public static class EntityRowsValidator
{
    /// <summary>
    /// Checks that the entity rows have the timestamp column and every join key with a compatible
    /// type, and that no feature's output name clashes with an entity column.
    /// </summary>
    /// <exception cref="GranaryException">A check failed; the message names the column.</exception>
    public static void Validate(HistoricalRequest request, IReadOnlyList<SourceColumn> entityColumns)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(entityColumns);
        var byName = entityColumns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var names = string.Join(", ", entityColumns.Select(c => c.Name));
        if (!byName.TryGetValue(request.TimestampColumn, out var time))
        {
            throw new GranaryException($"entity rows have no timestamp column '{request.TimestampColumn}' (name another with --timestamp-column); their columns are {names}");
        }

        if (!time.IsTimestamp && time.Type != DataType.String)
        {
            throw new GranaryException($"entity rows: timestamp column '{time.Name}' is {time.NativeType}; expected a timestamp or ISO-8601 text");
        }

        foreach (var part in Parts(request))
        {
            foreach (var key in part.JoinKeys)
            {
                if (!byName.TryGetValue(key.Name, out var column))
                {
                    throw new GranaryException($"entity rows have no column '{key.Name}', a join key of {part.Kind} '{part.Name}'; their columns are {names}");
                }

                if (!SourceSchemaValidator.IsCompatible(key.Type, column.Type))
                {
                    throw new GranaryException($"entity rows: join key column '{key.Name}' is {column.NativeType}, but {part.Kind} '{part.Name}' expects {key.Type}");
                }
            }

            foreach (var output in part.OutputNames)
            {
                if (byName.ContainsKey(output))
                {
                    throw new GranaryException($"feature '{output}' of view '{part.Name}' has the name of an entity row column; rename the column or use --full-feature-names");
                }
            }
        }
    }

    /// <summary>
    /// The checks of <see cref="Validate(HistoricalRequest, IReadOnlyList{SourceColumn})"/> on an
    /// entity file, pointing where it can at the value that gave a column the wrong type: the line of
    /// a CSV time that is not ISO-8601, or of a key that is not a number.
    /// </summary>
    /// <exception cref="GranaryException">A check failed; the message names the file, and the line where one is at fault.</exception>
    public static void Validate(HistoricalRequest request, EntityFileReader file)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(file);
        var byName = file.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        if (byName.TryGetValue(request.TimestampColumn, out var time) && !time.IsTimestamp
            && file.WhyNot(time.Name, new DataType(ScalarType.UnixTimestamp)) is { } notTime)
        {
            throw new GranaryException($"entity file '{file.Path}' {notTime} is not an ISO-8601 time; expected a time such as 2021-04-12T10:00:00Z or 2021-04-12 10:00:00+02:00");
        }

        // Text times in a file would be parsed by each store's own rules; the reader's are the only ones.
        if (time is { IsTimestamp: false })
        {
            throw new GranaryException(
                $"entity file '{file.Path}': timestamp column '{time.Name}' is {time.NativeType}{(file.IsParquet ? string.Empty : " (it has no values)")}; " +
                "expected a TIMESTAMP or DATE column (Parquet) or ISO-8601 times (CSV)");
        }

        foreach (var part in Parts(request))
        {
            foreach (var key in part.JoinKeys)
            {
                if (byName.TryGetValue(key.Name, out var column) && !SourceSchemaValidator.IsCompatible(key.Type, column.Type)
                    && file.WhyNot(key.Name, key.Type) is { } notKey)
                {
                    throw new GranaryException($"entity file '{file.Path}' {notKey} is not {key.Type}, which join key '{key.Name}' of {part.Kind} '{part.Name}' needs");
                }
            }
        }

        Validate(request, file.Columns);
    }

    /// <summary>
    /// The join keys shared by every view of a request (feature views and aggregation views), for
    /// <see cref="AllEntitiesAsOf"/>: the first view's keys, after checking that every view has the same set.
    /// </summary>
    /// <exception cref="GranaryException">Two views have different join keys.</exception>
    public static IReadOnlyList<JoinKey> CommonJoinKeys(HistoricalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parts = Parts(request).ToArray();
        var first = parts[0];
        foreach (var part in parts)
        {
            if (!part.JoinKeys.Select(k => k.Name).Order(StringComparer.Ordinal)
                    .SequenceEqual(first.JoinKeys.Select(k => k.Name).Order(StringComparer.Ordinal)))
            {
                throw new GranaryException(
                    $"--all-entities needs views with the same join keys, but '{first.Name}' has ({string.Join(", ", first.JoinKeys.Select(k => k.Name))}) " +
                    $"and '{part.Name}' has ({string.Join(", ", part.JoinKeys.Select(k => k.Name))})");
            }
        }

        return first.JoinKeys;
    }

    /// <summary>The feature views and aggregation views of a request, as what the checks need of each.</summary>
    private static IEnumerable<(string Kind, string Name, IReadOnlyList<JoinKey> JoinKeys, IEnumerable<string> OutputNames)> Parts(HistoricalRequest request) =>
        request.Views.Select(v => ("feature view", v.View.Name, v.JoinKeys, v.Features.Select(f => f.OutputName)))
            .Concat(request.Aggregations.Select(a => ("aggregation view", a.View.Name, a.JoinKeys, a.OutputNames)));
}
