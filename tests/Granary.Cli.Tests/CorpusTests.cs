using System.Text.RegularExpressions;
using Granary.Testing;

namespace Granary.Cli.Tests;

/// <summary>
/// The bad-input corpus (<c>tests/corpus/</c>) through the real executable: every case with a <c>run</c> line ends
/// with its exit code and a first error line matching its pattern, and never with a stack trace.
/// </summary>
public sealed class CorpusTests
{
    public static IEnumerable<object[]> Cases() => CorpusCase.NamesWith("run");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Granary_CorpusCase_ExitsWithItsCodeAndMessage(string name)
    {
        var corpusCase = CorpusCase.Load(name);
        using var repo = new CorpusRepo();
        if (corpusCase.Get("apply-first") == "yes")
        {
            var apply = await GranaryProcess.RunAsync(repo.Path, "apply");
            Assert.True(apply.ExitCode == 0, apply.Stderr);
        }

        repo.Write(corpusCase["file"], corpusCase.Content);

        var result = await GranaryProcess.RunAsync(repo.Path, corpusCase["run"].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(corpusCase.Number("exit") == result.ExitCode, $"exit {result.ExitCode}, expected {corpusCase["exit"]}: {result.Stderr}");
        Assert.Matches(new Regex(corpusCase["stderr"], RegexOptions.None, TimeSpan.FromSeconds(5)), result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_HasAtLeastOneHundredCases()
    {
        Assert.True(CorpusCase.All().Count() >= 100, "the issue asks for at least 100 bad inputs");
    }
}
