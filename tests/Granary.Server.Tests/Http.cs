using System.Net;
using System.Text;
using System.Text.Json;

namespace Granary.Server.Tests;

/// <summary>Posts JSON the way Feast's docs do (curl's default content type is not JSON) and reads the answer.</summary>
internal static class Http
{
    public sealed record Answer(HttpStatusCode Status, string Body, HttpResponseMessage Response)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        /// <summary>The problem details' <c>detail</c>.</summary>
        public string Detail => Json.GetProperty("detail").GetString()!;
    }

    public static async Task<Answer> PostAsync(HttpClient client, string path, string json, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static async Task<Answer> GetAsync(HttpClient client, string path, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }
}
