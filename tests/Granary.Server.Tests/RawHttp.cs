using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Granary.Server.Tests;

/// <summary>
/// HTTP/1.1 written by hand on a socket, for requests HttpClient will not send (a body shorter than its
/// Content-Length, a malformed chunk): the bytes go out and the whole answer is read until the server closes
/// the connection, which it does after an error or when the request says <c>Connection: close</c>. The
/// socket stays open for sending: Kestrel takes a client's end of sending as the end of the connection and
/// would drop the request unanswered.
/// </summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public string? ContentType => Headers.TryGetValue("content-type", out var type) ? type : null;
    }

    /// <summary>A POST of <paramref name="head"/> headers (each ending in CRLF) and the raw body bytes, on a connection closed after the answer.</summary>
    public static Task<Answer> PostAsync(Uri server, string path, string head, byte[] body) =>
        SendAsync(server, [.. Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n{head}\r\n"), .. body]);

    /// <summary>A request without a body on a connection closed after the answer.</summary>
    public static Task<Answer> SendAsync(Uri server, string method, string path) =>
        SendAsync(server, Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n"));

    public static async Task<Answer> SendAsync(Uri server, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(60));
        return Parse(received.ToArray());
    }

    private static Answer Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidDataException($"no complete HTTP answer: '{text}'");
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim().ToLowerInvariant(), parts => parts[1].Trim());
        var body = text[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new Answer(status, headers, body);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = int.Parse(chunked[at..lineEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return body.ToString();
            }

            // The bodies here are ASCII JSON, so a character is a byte.
            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
