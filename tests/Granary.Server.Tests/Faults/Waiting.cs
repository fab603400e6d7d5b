namespace Granary.Server.Tests.Faults;

/// <summary>Polls a condition with a generous deadline: fault tests wait for states, never for fixed times.</summary>
internal static class Waiting
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"not within {deadline.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<int> StatusAsync(Uri server, string path)
    {
        using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
