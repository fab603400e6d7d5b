using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Granary.Server.Rest;

/// <summary>
/// Reads a JSON request body within the size limit and takes its fields apart, each mistake a 400
/// naming the field. Values stay <see cref="JsonElement"/>s: the core converts them to declared types.
/// </summary>
internal static class RequestBody
{
    public static async Task<JsonDocument> ReadAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            throw new ServerErrorException(ServerError.PayloadTooLarge($"the request body has {context.Request.ContentLength:N0} bytes; the limit is {maxBytes:N0} (max_body_bytes)"));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBytes;
        }

        try
        {
            await using var body = new LimitedReadStream(context.Request.Body, maxBytes);
            return await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ServerErrorException(ServerError.PayloadTooLarge($"the request body is larger than {maxBytes:N0} bytes (max_body_bytes)"));
        }
    }

    public static JsonElement Root(JsonDocument document) =>
        document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement
            : throw Bad("the request body must be a JSON object");

    public static string? String(JsonElement body, string name, bool required = false) =>
        Property(body, name) switch
        {
            null when required => throw Bad($"'{name}' is required"),
            null => null,
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            _ => throw Bad($"'{name}' must be a string"),
        };

    public static bool Bool(JsonElement body, string name) =>
        Property(body, name) switch
        {
            null => false,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw Bad($"'{name}' must be true or false"),
        };

    public static IReadOnlyList<string>? StringList(JsonElement body, string name)
    {
        if (Property(body, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Bad($"'{name}' must be a list of strings");
        }

        var items = new string[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            items[i++] = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Bad($"'{name}[{i - 1}]' must be a string");
        }

        return items;
    }

    /// <summary>A mapping of column name to a list of values, such as <c>entities</c> or <c>df</c>; checks the row limit.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<object?>> Columns(JsonElement body, string name, int maxRows)
    {
        if (Property(body, name) is not { ValueKind: JsonValueKind.Object } value)
        {
            throw Bad($"'{name}' is required: an object mapping each column to a list of values, such as {{\"driver_id\": [1001, 1002]}}");
        }

        var columns = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        foreach (var column in value.EnumerateObject())
        {
            var columnName = column.Name;
            if (column.Value.ValueKind != JsonValueKind.Array)
            {
                throw Bad($"'{name}.{columnName}' must be a list of values, one per row");
            }

            var count = column.Value.GetArrayLength();
            RowLimit.Check(name, columnName, count, maxRows);

            var values = new object?[count];
            var i = 0;
            foreach (var item in column.Value.EnumerateArray())
            {
                values[i++] = item;
            }

            columns[columnName] = values;
        }

        return columns;
    }

    /// <summary>An ISO-8601 time; UTC when it has no offset.</summary>
    public static DateTimeOffset Time(JsonElement body, string name)
    {
        var text = String(body, name, required: true)!;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw Bad($"'{name}': '{text}' is not an ISO-8601 time");
    }

    private static JsonElement? Property(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static ServerErrorException Bad(string detail) => new(ServerError.BadRequest(detail));
}
