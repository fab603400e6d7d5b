namespace Granary.Statistics;

/// <summary>
/// An input as the database sees it: a SELECT whose columns are the request's columns, in order,
/// named <c>c0</c>, <c>c1</c>, ... (see <see cref="SqlStatistics.ColumnAlias"/>), and the parameters it uses.
/// </summary>
/// <param name="Sql">The SELECT.</param>
/// <param name="Parameters">Its parameters by name (without the dialect's marker).</param>
public sealed record StatisticsRelation(string Sql, IReadOnlyList<(string Name, object Value)> Parameters);
