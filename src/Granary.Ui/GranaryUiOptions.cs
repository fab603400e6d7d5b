namespace Granary.Ui;

/// <summary>The web UI's knobs, set when it is mapped (<c>MapGranaryUi</c>).</summary>
public sealed class GranaryUiOptions
{
    /// <summary>
    /// Where <c>granary serve</c> answers, for the <c>curl</c> commands that "try it" shows, such as
    /// <c>http://127.0.0.1:6566</c>. Default null: the page's own origin, right when the UI is served
    /// by <c>granary serve</c> itself.
    /// </summary>
    public string? ServerUrl { get; set; }

    /// <summary>
    /// Whether clients that are not on this machine may use the UI while no API keys are configured.
    /// Default false: without keys the UI answers loopback clients only (403 otherwise), as the
    /// feature server listens on loopback unless told otherwise. With keys this setting is not used:
    /// every client needs a key with the <c>read</c> scope.
    /// </summary>
    public bool AllowRemoteWithoutKeys { get; set; }

    /// <summary>
    /// How long a data source page waits for the offline store to describe the source's columns
    /// before it says it could not. Default 5 seconds; valid 100 ms to 5 minutes.
    /// </summary>
    public TimeSpan DescribeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of its range.</summary>
    public void Validate()
    {
        if (DescribeTimeout < TimeSpan.FromMilliseconds(100) || DescribeTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException($"{nameof(GranaryUiOptions)}.{nameof(DescribeTimeout)} must be 100 ms to 5 minutes, not {DescribeTimeout}");
        }

        if (ServerUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"{nameof(GranaryUiOptions)}.{nameof(ServerUrl)} must be an http or https URL, not '{url}'");
        }
    }
}
