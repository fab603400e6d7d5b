namespace Granary;

/// <summary>Where <see cref="FeatureStore.PushAsync"/> writes pushed rows; the names match Feast's <c>to</c> values.</summary>
public enum PushTarget
{
    /// <summary>The online store only (<c>online</c>), Feast's default.</summary>
    Online,

    /// <summary>The push source's batch source only (<c>offline</c>): offline retrieval sees the rows.</summary>
    Offline,

    /// <summary>Both (<c>online_and_offline</c>): the batch source first, then the online store.</summary>
    OnlineAndOffline,
}
