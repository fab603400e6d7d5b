using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Rest;

/// <summary>
/// Puts the request id on everything logged while a request runs, the backends' logs included (a console
/// logger shows it with scopes on, as <c>granary serve</c> sets), and on the request's span.
/// </summary>
internal sealed class RequestLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly string _requestId;

    private RequestLogScope(string requestId) => _requestId = requestId;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new KeyValuePair<string, object?>("RequestId", _requestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public static IDisposable? Begin(ILogger logger, string requestId)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("granary.request_id", requestId);
        }

        return logger.BeginScope(new RequestLogScope(requestId));
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"RequestId:{_requestId}";
}
