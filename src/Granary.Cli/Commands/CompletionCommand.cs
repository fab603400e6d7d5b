using System.CommandLine;
using System.CommandLine.Completions;

namespace Granary.Cli.Commands;

/// <summary>
/// Shell completion through System.CommandLine's own engine: the shells ask <c>granary "[suggest:POSITION]" "LINE"</c>
/// (the protocol of System.CommandLine's suggest directive, which dotnet-suggest's shims speak too) and offer what
/// it prints; <c>granary completion bash|zsh|pwsh</c> prints the script that hooks a shell up.
/// </summary>
internal static class CompletionCommand
{
    private const string Directive = "[suggest";

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or pwsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        var command = new Command("completion", "Print the shell script that completes granary's commands and options (see docs/cli.md)") { shell };
        command.SetAction(parse =>
        {
            Console.Write(parse.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => Pwsh,
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Whether the arguments are a completion request: <c>[suggest]</c> or <c>[suggest:N]</c> then the line.</summary>
    public static bool IsRequest(string[] args) => args.Length > 0 && args[0].StartsWith(Directive, StringComparison.Ordinal) && args[0].EndsWith(']');

    /// <summary>
    /// Prints one completion per line for the line typed so far (the program's name first), at the cursor
    /// position (the end of the line when none is given), as System.CommandLine computes them.
    /// </summary>
    public static int Suggest(Command root, string[] args)
    {
        var line = args.Length > 1 ? args[1] : string.Empty;
        var position = args[0].Length > Directive.Length + 2 && int.TryParse(args[0].AsSpan(Directive.Length + 1, args[0].Length - Directive.Length - 2), out var p)
            ? Math.Clamp(p, 0, line.Length)
            : line.Length;

        // The shells send the whole line; the parser wants the arguments after the program's name.
        var start = 0;
        while (start < line.Length && char.IsWhiteSpace(line[start]))
        {
            start++;
        }

        var nameEnd = line.IndexOf(' ', start);
        var rest = nameEnd < 0 ? string.Empty : line[(nameEnd + 1)..];
        var cursor = nameEnd < 0 ? 0 : Math.Max(0, position - nameEnd - 1);
        var parse = root.Parse(rest);
        foreach (var completion in parse.GetCompletions(cursor).Select(c => c.Label).Distinct(StringComparer.Ordinal))
        {
            Console.WriteLine(completion);
        }

        return ExitCodes.Ok;
    }

    private const string Bash = """
        # granary completion for bash: eval "$(granary completion bash)" (e.g. in ~/.bashrc)
        _granary_complete() {
            local IFS=$'\n'
            COMPREPLY=($(granary "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
        }
        complete -o default -F _granary_complete granary

        """;

    private const string Zsh = """
        # granary completion for zsh: eval "$(granary completion zsh)" (e.g. in ~/.zshrc, after compinit)
        _granary() {
            local -a completions
            completions=("${(@f)$(granary "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
            compadd -- "${completions[@]}"
        }
        compdef _granary granary

        """;

    private const string Pwsh = """
        # granary completion for PowerShell: granary completion pwsh | Out-String | Invoke-Expression (e.g. in $PROFILE)
        Register-ArgumentCompleter -Native -CommandName granary -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            granary "[suggest:$cursorPosition]" "$commandAst" 2>$null | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }

        """;
}
