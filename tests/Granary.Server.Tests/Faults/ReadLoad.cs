using System.Diagnostics;
using System.Text;

namespace Granary.Server.Tests.Faults;

/// <summary>
/// Reads sent by a few workers in a loop until stopped; each answer is kept with its status, latency and whether
/// it came while the store was up, so that a test can judge each phase of an outage.
/// </summary>
internal sealed class ReadLoad : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly string _body;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly List<Answer> _answers = [];
    private volatile string _phase = "up";

    public ReadLoad(Uri server, string body, int workers = 4)
    {
        // Generous: the server's own deadline must end every request long before this would.
        _client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        _body = body;
        for (var i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(WorkAsync));
        }
    }

    /// <summary>An answer: the phase when the request was sent, its status, latency and body, and when it came (a <see cref="Stopwatch"/> timestamp).</summary>
    public sealed record Answer(string Phase, int Status, TimeSpan Latency, string Body, long Completed);

    /// <summary>Tags the answers of requests sent from now on.</summary>
    public string Phase
    {
        get => _phase;
        set => _phase = value;
    }

    public IReadOnlyList<Answer> Answers
    {
        get
        {
            lock (_answers)
            {
                return _answers.ToArray();
            }
        }
    }

    public IReadOnlyList<Answer> In(string phase) => Answers.Where(a => a.Phase == phase).ToArray();

    /// <summary>The answers to requests sent in <paramref name="phase"/> that came before <paramref name="timestamp"/>: not overlapping the next change.</summary>
    public IReadOnlyList<Answer> In(string phase, long timestamp) => Answers.Where(a => a.Phase == phase && a.Completed < timestamp).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var phase = _phase;
            var clock = Stopwatch.StartNew();
            try
            {
                using var content = new StringContent(_body, Encoding.UTF8, "application/json");
                using var response = await _client.PostAsync(new Uri("/get-online-features", UriKind.Relative), content, _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                Add(new Answer(phase, (int)response.StatusCode, clock.Elapsed, body, Stopwatch.GetTimestamp()));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e)
            {
                Add(new Answer(phase, 0, clock.Elapsed, e.Message, Stopwatch.GetTimestamp()));
            }

            await Task.Delay(5);
        }
    }

    private void Add(Answer answer)
    {
        lock (_answers)
        {
            _answers.Add(answer);
        }
    }
}
