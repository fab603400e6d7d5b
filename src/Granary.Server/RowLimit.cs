using System.Globalization;

namespace Granary.Server;

/// <summary>
/// <c>max_entities</c>, checked the same way for every protocol and body (REST and gRPC reads, pushes,
/// online writes): a column of more rows than the limit is a 400 naming it, before its values are converted.
/// </summary>
internal static class RowLimit
{
    /// <summary>Throws when <paramref name="rows"/> is over <paramref name="limit"/>.</summary>
    /// <param name="field">The request field that holds the columns: <c>entities</c>, <c>request_context</c> or <c>df</c>.</param>
    /// <param name="column">The column.</param>
    /// <param name="rows">Its number of values.</param>
    /// <param name="limit">The configured <c>max_entities</c>.</param>
    public static void Check(string field, string column, int rows, int limit)
    {
        if (rows > limit)
        {
            throw new ServerErrorException(ServerError.BadRequest(string.Create(
                CultureInfo.InvariantCulture, $"'{field}.{column}' has {rows:N0} rows; the limit is {limit:N0} (max_entities)")));
        }
    }
}
