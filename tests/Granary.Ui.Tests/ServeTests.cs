using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Granary.Ui.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Granary.Ui.Tests;

/// <summary>The UI mounted beside the feature server in one host, as <c>granary serve</c> mounts it.</summary>
public sealed class ServeTests
{
    [Fact]
    public async Task TryIt_UnderTheFeatureServer_CurlBodyGetsTheSameValuesFromTheServer()
    {
        using var repo = await UiRepo.EveryKindAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<TimeProvider>(repo.Clock);
        builder.Services.AddGranaryFeatureServer(_ => repo.OpenStore(RegistryRefreshMode.ByHost));
        await using var app = builder.Build();
        app.MapGranaryFeatureServer();
        app.MapGranaryUi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var html = await client.GetStringAsync("/ui/feature-views/driver_hourly_stats?try=1&driver_id=1001");

        // The curl command targets the page's own origin (the server) with the body the UI read.
        var curl = WebUtility.HtmlDecode(html[html.IndexOf("curl -sS", StringComparison.Ordinal)..html.IndexOf("</code></pre>", StringComparison.Ordinal)]);
        Assert.StartsWith($"curl -sS -X POST '{address}/get-online-features'", curl, StringComparison.Ordinal);
        var body = curl[(curl.IndexOf("-d '", StringComparison.Ordinal) + 4)..^1];
        Assert.Equal("""{"features":["driver_hourly_stats:conv_rate","driver_hourly_stats:trips"],"entities":{"driver_id":[1001]}}""", body);

        using var response = await client.PostAsync("/get-online-features", new StringContent(body));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0.6, json.GetProperty("results")[1].GetProperty("values")[0].GetDouble());
        Assert.Equal(11, json.GetProperty("results")[2].GetProperty("values")[0].GetInt64());
        Assert.Matches("<code>conv_rate</code></th>\\s*<td class=\"value\">0.6</td>", html);
    }

    [Fact]
    public void Curl_BodyWithAQuote_IsQuotedForTheShell()
    {
        var curl = TryIt.Curl("http://127.0.0.1:6566", """{"entities":{"name":["O'Brien"]}}""", withKey: true);

        Assert.Equal(
            "curl -sS -X POST 'http://127.0.0.1:6566/get-online-features' \\\n  -H 'Content-Type: application/json' \\\n"
            + "  -H \"Authorization: Bearer $GRANARY_API_KEY\" \\\n  -d '{\"entities\":{\"name\":[\"O'\\''Brien\"]}}'",
            curl);
    }
}
