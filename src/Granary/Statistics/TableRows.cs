namespace Granary.Statistics;

/// <summary>
/// The rows of a table of the offline store (served-feature logs written with <c>logging: { table }</c>);
/// with <paramref name="TimeColumn"/>, only rows whose time is from <paramref name="Start"/> to <paramref name="End"/>.
/// </summary>
/// <param name="Table">The table, <c>name</c> or <c>schema.name</c>.</param>
/// <param name="What">What the table is, for reports.</param>
/// <param name="TimeColumn">The column the range applies to; null for every row.</param>
/// <param name="Start">The first time, inclusive; null for no lower bound.</param>
/// <param name="End">The last time, inclusive; null for no upper bound.</param>
public sealed record TableRows(string Table, string What, string? TimeColumn = null, DateTimeOffset? Start = null, DateTimeOffset? End = null) : StatisticsInput
{
    /// <inheritdoc/>
    public override string Describe() => TimeColumn is null ? What : $"{What}, {Range(Start, End)}";
}
