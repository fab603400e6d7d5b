namespace Granary.Reports;

/// <summary>
/// The reports' one stylesheet, inlined in every report (the file and the UI's page), scoped under
/// <c>.granary-report</c> so that it changes nothing around it. System fonts only: nothing is fetched.
/// </summary>
public static class ReportStyles
{
    /// <summary>The CSS.</summary>
    public const string Css = """
        .granary-report { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328; line-height: 1.45; max-width: 1000px; background: #fff; padding: .5rem 1rem 1rem; }
        .granary-report h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
        .granary-report h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-top: 1rem; border-top: 1px solid #d0d7de; }
        .granary-report .meta { color: #57606a; margin: 0 0 1rem; }
        .granary-report table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .92rem; }
        .granary-report th, .granary-report td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
        .granary-report th { background: #f6f8fa; font-weight: 600; }
        .granary-report td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .granary-report .summary { display: flex; gap: .75rem; flex-wrap: wrap; margin: 1rem 0; }
        .granary-report .tile { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem 1rem; min-width: 7rem; }
        .granary-report .tile b { display: block; font-size: 1.6rem; }
        .granary-report .status { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-weight: 600; font-size: .85rem; }
        .granary-report .ok { background: #dafbe1; color: #116329; }
        .granary-report .warn { background: #fff8c5; color: #7d4e00; }
        .granary-report .drift, .granary-report .bad { background: #ffebe9; color: #a40e26; }
        .granary-report .no_data { background: #eaeef2; color: #57606a; }
        .granary-report .bar { display: inline-block; height: .7rem; background: #e15759; vertical-align: middle; margin-right: .4rem; }
        .granary-report .chart { width: 100%; max-width: 720px; height: auto; display: block; margin: .5rem 0; }
        .granary-report .legend span { display: inline-block; width: .8rem; height: .8rem; margin: 0 .3rem 0 .8rem; vertical-align: middle; }
        .granary-report .note { color: #57606a; font-size: .9rem; }
        .granary-report code { background: #f6f8fa; padding: 0 .25rem; border-radius: 3px; }
        """;
}
