using Spectre.Console;
using Granary.Registry;

namespace Granary.Cli.Commands;

/// <summary>Prints a registry diff as <c>+ kind name</c>, <c>~ kind name</c>, <c>- kind name</c> lines and a summary.</summary>
internal static class DiffPrinter
{
    public static void Print(RegistryDiff diff)
    {
        var console = CommandRunner.Out;
        foreach (var d in diff.Created)
        {
            console.MarkupLineInterpolated($"[green]+ {d.Kind} {d.Name}[/]");
        }

        foreach (var d in diff.Updated)
        {
            console.MarkupLineInterpolated($"[yellow]~ {d.Kind} {d.Name}[/]");
        }

        foreach (var d in diff.Deleted)
        {
            console.MarkupLineInterpolated($"[red]- {d.Kind} {d.Name}[/]");
        }

        console.WriteLine(diff.IsEmpty
            ? "No changes."
            : $"{diff.Created.Count} to create, {diff.Updated.Count} to update, {diff.Deleted.Count} to delete.");
    }
}
