using System.CommandLine;
using Granary.Registry;

namespace Granary.Cli.Commands;

/// <summary><c>granary registry migrate</c>: moves a file registry into the SQL registry that granary.yaml names.</summary>
internal static class RegistryCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from")
        {
            Description = "The file registry to copy, relative to the repo",
            DefaultValueFactory = _ => "data/registry.json",
        };
        var migrate = new Command("migrate", "Copy every project of a file registry (versions, definitions, materializations) into the SQL registry of granary.yaml")
        {
            from,
        };
        migrate.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            if (store.Registry is not SqlRegistry target)
            {
                throw new GranaryException("granary.yaml: registry must be { type: sql, ... } to migrate into it");
            }

            var path = store.Config.ResolvePath(parse.GetValue(from)!, "--from");
            if (!File.Exists(path))
            {
                throw new GranaryException($"--from: file registry '{path}' does not exist");
            }

            await using var source = new FileRegistry(path, store.TimeProvider, store.SourceKinds);
            var projects = await RegistryMigration.MigrateAsync(source, target, cancellationToken: cancellationToken);
            CommandRunner.Info($"Migrated {projects.Count} projects: {string.Join(", ", projects)}.");
            return 0;
        }));
        return new Command("registry", "Registry maintenance") { migrate };
    }
}
