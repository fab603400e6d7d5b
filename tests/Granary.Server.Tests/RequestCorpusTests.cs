using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Granary.Testing;

namespace Granary.Server.Tests;

/// <summary>
/// The request cases of the bad-input corpus (<c>tests/corpus/cases/requests</c>) against the real server over the
/// corpus's base repo (served with <c>max_entities: 10</c> and <c>max_body_bytes: 4096</c>): each is answered with its
/// status, kind and a detail matching its pattern, and the server keeps serving.
/// </summary>
public sealed class RequestCorpusTests(RequestCorpusTests.Served served) : IClassFixture<RequestCorpusTests.Served>
{
    public static IEnumerable<object[]> Cases() => CorpusCase.NamesWith("request");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_CorpusCase_AnsweredWithItsStatusAndProblem(string name)
    {
        var corpusCase = CorpusCase.Load(name);
        var line = corpusCase["request"].Split(' ', 2);
        using var request = new HttpRequestMessage(new HttpMethod(line[0]), new Uri(line[1], UriKind.Relative));
        if (line[0] != "GET")
        {
            request.Content = new ByteArrayContent(corpusCase.Content);
            if (corpusCase.Get("content-type") is { } type)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }
        }

        using var client = new HttpClient { BaseAddress = served.Server.RestAddress };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(corpusCase.Number("status") == (int)response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(corpusCase["kind"], problem.RootElement.GetProperty("kind").GetString());
        Assert.Matches(new Regex(corpusCase["detail"], RegexOptions.None, TimeSpan.FromSeconds(5)), problem.RootElement.GetProperty("detail").GetString());
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.True(health.IsSuccessStatusCode, "the server stopped serving after the case");
    }

    /// <summary>One server for the corpus.</summary>
    public sealed class Served : IAsyncLifetime
    {
        private readonly CorpusRepo _repo = new();
        private ServeProcess? _server;

        public ServeProcess Server => _server ?? throw new InvalidOperationException("the server starts in InitializeAsync");

        public async Task InitializeAsync()
        {
            File.AppendAllText(Path.Combine(_repo.Path, "granary.yaml"), "feature_server:\n  max_entities: 10\n  max_body_bytes: 4096\n");
            await using (var store = new FeatureStoreBuilder(Repo.FeatureRepo.LoadConfig(_repo.Path)).AddDuckDb().AddSqlite().Build())
            {
                await store.ApplyAsync(Repo.FeatureRepo.LoadDefinitions(_repo.Path, store.SourceKinds));
            }

            _server = await ServeProcess.StartAsync(_repo.Path);
        }

        public Task DisposeAsync()
        {
            _server?.Dispose();
            _repo.Dispose();
            return Task.CompletedTask;
        }
    }
}
