namespace Granary.Offline;

/// <summary>Where the entity rows of a training-data request come from.</summary>
public abstract record EntityInput
{
    /// <summary>Rows from a Parquet or CSV file, chosen by extension.</summary>
    public static EntityInput FromFile(string path) => new EntityFile(path);

    /// <summary>Rows from a query that the offline store runs.</summary>
    public static EntityInput FromSql(string sql) => new EntitySql(sql);

    /// <summary>Rows read straight from several Parquet files as one table (see <see cref="EntityFiles"/>).</summary>
    public static EntityInput FromFiles(IReadOnlyList<string> paths, IReadOnlyList<EntityFileColumn> columns, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        new EntityFiles(paths, columns) { From = from, To = to };

    /// <summary>Every entity key present in the views' sources, each looked up at <paramref name="asOf"/>.</summary>
    public static EntityInput AllAsOf(DateTimeOffset asOf) => new AllEntitiesAsOf(asOf);
}
