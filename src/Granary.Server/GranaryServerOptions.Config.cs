using Granary.Repo;
using YamlDotNet.RepresentationModel;

namespace Granary.Server;

public sealed partial class GranaryServerOptions
{
    private const string ApiKeysKey = "api_keys";

    /// <summary>
    /// Sets the options from the <c>feature_server</c> section of granary.yaml, reading each API key
    /// from the environment variable its <c>env</c> names (keys are never written in the file):
    /// <code>
    /// feature_server:
    ///   registry_poll_seconds: 5
    ///   max_entities: 1000
    ///   max_body_bytes: 1048576
    ///   read_timeout_ms: 1000
    ///   write_timeout_ms: 30000
    ///   max_connections: 0
    ///   store_break_ms: 2000
    ///   api_keys:
    ///     - { env: GRANARY_KEY_READER, scopes: [read] }
    ///     - { env: GRANARY_KEY_ADMIN, scopes: [read, write, admin] }
    /// </code>
    /// </summary>
    /// <param name="section">The section, as <see cref="FeatureRepo.LoadConfig"/> read it.</param>
    /// <param name="environment">
    /// Reads an environment variable, such as <see cref="Environment.GetEnvironmentVariable(string)"/>;
    /// null checks only the section's shape (for commands that do not serve, where the key variables need not be set).
    /// </param>
    /// <returns>These options.</returns>
    /// <exception cref="RepoValidationException">A key is unknown, a value is malformed or out of range, or a named variable is not set; each line names granary.yaml's line.</exception>
    public GranaryServerOptions LoadFrom(StoreConfig section, Func<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(section);
        var errors = new List<string>();
        try
        {
            ConfigBinder.Bind(this, section with { Section = "feature_server" }, repo: null, ApiKeysKey);
        }
        catch (RepoValidationException e)
        {
            errors.AddRange(e.Errors);
        }

        if (section.Get(ApiKeysKey) is not null)
        {
            errors.Add($"{section.Where(ApiKeysKey)}: must be a list of {{ env: VARIABLE, scopes: [read, write, admin] }}");
        }
        else if (section.Nested.TryGetValue(ApiKeysKey, out var node))
        {
            ReadKeys(node, section.Locations.GetValueOrDefault(ApiKeysKey)?.File ?? RepoConfig.FileName, environment, errors);
        }

        if (errors.Count == 0)
        {
            try
            {
                ConfigBinder.Validate(this, $"{RepoConfig.FileName}: feature_server");
            }
            catch (GranaryException e)
            {
                errors.Add(e.Message);
            }
        }

        return errors.Count > 0 ? throw new RepoValidationException(errors) : this;
    }

    private void ReadKeys(YamlNode node, string file, Func<string, string?>? environment, List<string> errors)
    {
        if (node is not YamlSequenceNode sequence)
        {
            errors.Add($"{file}:{node.Start.Line}:{node.Start.Column}: feature_server.api_keys: must be a list of {{ env: VARIABLE, scopes: [read, write, admin] }}");
            return;
        }

        var index = 0;
        foreach (var item in sequence)
        {
            var what = $"feature_server.api_keys[{index++}]";
            if (item is not YamlMappingNode mapping)
            {
                errors.Add($"{file}:{item.Start.Line}:{item.Start.Column}: {what}: must be a mapping {{ env: VARIABLE, scopes: [...] }}");
                continue;
            }

            var yaml = new YamlSection(mapping, file, what, errors);
            foreach (var secret in new[] { "key", "value", "secret" })
            {
                if (yaml.Node(secret) is { } written)
                {
                    yaml.Error(written, "keys are never written in granary.yaml; put the key in an environment variable and name it with 'env'");
                }
            }

            var variable = yaml.String("env", required: true);
            var scopes = FeatureServerScopes.None;
            foreach (var scope in yaml.StringList("scopes"))
            {
                scopes |= scope switch
                {
                    "read" => FeatureServerScopes.Read,
                    "write" => FeatureServerScopes.Write,
                    "admin" => FeatureServerScopes.Admin,
                    _ => Unknown(yaml, scope),
                };
            }

            yaml.RejectUnknownKeys();
            if (variable is null || environment is null)
            {
                continue;
            }

            var key = environment(variable);
            if (string.IsNullOrEmpty(key))
            {
                yaml.Error("env", $"environment variable {variable} is not set");
                continue;
            }

            try
            {
                ApiKeys.Add(new ApiKey(variable, key, scopes));
            }
            catch (GranaryException e)
            {
                yaml.Error("env", e.Message);
            }
        }
    }

    private static FeatureServerScopes Unknown(YamlSection yaml, string scope)
    {
        yaml.Error("scopes", $"unknown scope '{scope}'; expected read, write or admin");
        return FeatureServerScopes.None;
    }
}
