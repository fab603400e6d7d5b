using System.CommandLine;
using System.Text;
using Granary.Drift;
using Granary.Reports;
using Granary.Skew;
using Granary.Statistics;

namespace Granary.Cli.Commands;

/// <summary>
/// The <c>--output</c> of <c>skew</c>, <c>stats</c> and <c>drift</c>: a report file, <c>.html</c> for people (one
/// self-contained page, <see cref="HtmlReports"/>) or <c>.json</c> for scripts, written to a temp file and renamed so
/// that a reader never sees half a report.
/// </summary>
internal static class ReportOutput
{
    public static Option<string?> Create(string example) => new("--output", "-o")
    {
        Description = $"Write the report to a file: .html (a page for people) or .json (for scripts), such as {example}",
    };

    /// <summary>Checks the file's kind before the work runs, so that a typo costs nothing.</summary>
    public static void Check(string? path)
    {
        if (path is not null && KindOf(path) is null)
        {
            throw new UsageException($"--output: '{path}' must end with .html or .json");
        }
    }

    public static Task WriteAsync(string path, SkewReport report, CancellationToken cancellationToken) =>
        WriteAsync(path, () => SkewReportJson.Serialize(report), () => HtmlReports.RenderAsync(report), cancellationToken);

    public static Task WriteAsync(string path, StatisticsReport report, CancellationToken cancellationToken) =>
        WriteAsync(path, () => StatisticsReportJson.Serialize(report), () => HtmlReports.RenderAsync(report), cancellationToken);

    public static Task WriteAsync(string path, DriftReport report, CancellationToken cancellationToken) =>
        WriteAsync(path, () => DriftReportJson.Serialize(report), () => HtmlReports.RenderAsync(report), cancellationToken);

    private static async Task WriteAsync(string path, Func<string> json, Func<Task<string>> html, CancellationToken cancellationToken)
    {
        var text = KindOf(path) == "html" ? await html() : json();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temp, text, new UTF8Encoding(false), cancellationToken);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        CommandRunner.Info($"Wrote {path}.");
    }

    private static string? KindOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" or ".htm" => "html",
        ".json" => "json",
        _ => null,
    };
}
