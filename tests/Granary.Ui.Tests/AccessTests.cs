using System.Net;
using Granary.Server;

namespace Granary.Ui.Tests;

/// <summary>API keys and the loopback rule, over a real Kestrel server.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private const string ReadKey = "ui-read-key-0123456789";
    private const string WriteKey = "ui-write-key-0123456789";
    private UiRepo _repo = default!;

    public async Task InitializeAsync() => _repo = await UiRepo.EveryKindAsync();

    public Task DisposeAsync()
    {
        _repo.Dispose();
        return Task.CompletedTask;
    }

    private static void Keys(GranaryServerOptions options)
    {
        options.ApiKeys.Add(new ApiKey("reader", ReadKey, FeatureServerScopes.Read));
        options.ApiKeys.Add(new ApiKey("writer", WriteKey, FeatureServerScopes.Write));
    }

    [Fact]
    public async Task Page_KeysAndNoCookie_RedirectsToSignInWithReturnPath()
    {
        await using var host = await UiHost.StartAsync(_repo, Keys);

        using var response = await host.Client.GetAsync("/ui/feature-views/driver_daily");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/login?return=%2Fui%2Ffeature-views%2Fdriver_daily", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_ReadKey_SetsHttpOnlyStrictCookieWithoutTheKeyAndOpensThePages()
    {
        await using var host = await UiHost.StartAsync(_repo, Keys);

        using var signIn = await host.Client.PostAsync("/ui/login", Form(ReadKey, "/ui/lineage"));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/ui/lineage", signIn.Headers.Location!.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("granary_ui_key=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/ui", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ReadKey, cookie, StringComparison.Ordinal);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/ui/lineage");
        page.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var response = await host.Client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sign out", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_UnknownKey_Answers401WithTheServersReason()
    {
        await using var host = await UiHost.StartAsync(_repo, Keys);

        using var response = await host.Client.PostAsync("/ui/login", Form("not-a-key-of-this-server", "/ui/"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("the API key is not valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SignIn_KeyWithoutReadScope_Answers403()
    {
        await using var host = await UiHost.StartAsync(_repo, Keys);

        using var response = await host.Client.PostAsync("/ui/login", Form(WriteKey, "/ui/"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("lacks the &#x27;read&#x27; scope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ReturnToAnotherSite_GoesToTheOverview()
    {
        await using var host = await UiHost.StartAsync(_repo, Keys);

        using var response = await host.Client.PostAsync("/ui/login", Form(ReadKey, "//evil.example/ui/"));

        Assert.Equal("/ui/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_PostedFromAnotherOrigin_IsRefused()
    {
        await using var host = await UiHost.StartAsync(_repo, Keys);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ui/login") { Content = Form(ReadKey, "/ui/") };
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SearchFragment_KeysAndNoCookie_Answers401()
    {
        await using var host = await UiHost.StartAsync(_repo, Keys);

        using var response = await host.Client.GetAsync("/ui/search?q=driver&fragment=1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Page_RemoteClientWithoutKeys_Answers403()
    {
        await using var host = await UiHost.StartAsync(_repo, remoteAddress: IPAddress.Parse("203.0.113.7"));

        using var response = await host.Client.GetAsync("/ui/");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("answers only on this machine", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_RemoteClientAllowedWithoutKeys_AnswersOk()
    {
        await using var host = await UiHost.StartAsync(_repo, remoteAddress: IPAddress.Parse("203.0.113.7"), configure: o => o.AllowRemoteWithoutKeys = true);

        using var response = await host.Client.GetAsync("/ui/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Page_RemoteClientWithKeys_IsAskedForAKey()
    {
        await using var host = await UiHost.StartAsync(_repo, Keys, remoteAddress: IPAddress.Parse("203.0.113.7"));

        using var response = await host.Client.GetAsync("/ui/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static FormUrlEncodedContent Form(string key, string target) =>
        new(new Dictionary<string, string> { ["key"] = key, ["return"] = target });
}
