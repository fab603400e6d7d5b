using System.Net;
using System.Text.RegularExpressions;

namespace Granary.Ui.Tests;

/// <summary>Follows every link under <c>/ui/</c> from the overview, as a browser without JavaScript would.</summary>
public static partial class Crawler
{
    /// <summary>The status and body of every page reached, by path and query (fragments dropped).</summary>
    public static async Task<IReadOnlyDictionary<string, (HttpStatusCode Status, string Body)>> CrawlAsync(HttpClient client, string start = "/ui/", int limit = 5000)
    {
        var pages = new Dictionary<string, (HttpStatusCode, string)>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0 && pages.Count < limit)
        {
            var path = queue.Dequeue();
            if (pages.ContainsKey(path))
            {
                continue;
            }

            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            pages[path] = (response.StatusCode, body);
            if (response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }

            foreach (var link in Links(body))
            {
                if (!pages.ContainsKey(link))
                {
                    queue.Enqueue(link);
                }
            }
        }

        return pages;
    }

    /// <summary>The <c>/ui</c> targets of <c>href</c> and <c>src</c> attributes, HTML-decoded, without fragments.</summary>
    public static IEnumerable<string> Links(string html) =>
        Href().Matches(html)
            .Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .Select(l => l.Split('#')[0])
            .Where(l => l.StartsWith("/ui", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex("(?:href|src)=\"([^\"]*)\"")]
    private static partial Regex Href();
}
