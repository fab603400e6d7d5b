using Granary.Online;
using Granary.Registry;

namespace Granary.FeatureLogs;

/// <summary>One online read waiting to be logged: what was asked, what was served, when and under which apply.</summary>
internal sealed class LoggedRead
{
    public LoggedRead(RegistrySnapshot snapshot, string service, OnlineFeaturesRequest request, OnlineResponse response, DateTimeOffset time, int rows)
    {
        Snapshot = snapshot;
        Service = service;
        Request = request;
        Response = response;
        Time = time;
        Rows = rows;
        RequestId = request.RequestId ?? Guid.NewGuid().ToString("N");
    }

    public RegistrySnapshot Snapshot { get; }

    public string Service { get; }

    public OnlineFeaturesRequest Request { get; }

    public OnlineResponse Response { get; }

    public DateTimeOffset Time { get; }

    public int Rows { get; }

    public string RequestId { get; }

    public long Version => Snapshot.Version;

    /// <summary>The served column of the service's feature <paramref name="index"/> of <paramref name="count"/>: the features follow the echoed join keys.</summary>
    public OnlineFeatureColumn Feature(int index, int count) => Response.Results[Response.Results.Count - count + index];
}
