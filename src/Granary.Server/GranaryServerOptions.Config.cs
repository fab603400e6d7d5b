using System.Globalization;
using Granary.Repo;
using YamlDotNet.RepresentationModel;

namespace Granary.Server;

public sealed partial class GranaryServerOptions
{
    private static readonly string[] KnownKeys =
        ["registry_poll_seconds", "max_entities", "max_body_bytes", "read_timeout_ms", "write_timeout_ms", "api_keys"];

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
    ///   api_keys:
    ///     - { env: GRANARY_KEY_READER, scopes: [read] }
    ///     - { env: GRANARY_KEY_ADMIN, scopes: [read, write, admin] }
    /// </code>
    /// </summary>
    /// <param name="section">The section, as <see cref="FeatureRepo.LoadConfig"/> read it.</param>
    /// <param name="environment">Reads an environment variable, such as <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="GranaryException">A key is unknown, a value is malformed or out of range, or a named variable is not set.</exception>
    public GranaryServerOptions LoadFrom(StoreConfig section, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var key in section.Settings.Keys.Where(k => !KnownKeys.Contains(k)))
        {
            throw Error(key, $"unknown key; expected one of: {string.Join(", ", KnownKeys)}");
        }

        if (section.Get("registry_poll_seconds") is { } poll)
        {
            RegistryPollInterval = TimeSpan.FromSeconds(Number(poll, "registry_poll_seconds"));
        }

        if (section.Get("max_entities") is { } entities)
        {
            MaxEntities = (int)Whole(entities, "max_entities", int.MaxValue);
        }

        if (section.Get("max_body_bytes") is { } body)
        {
            MaxBodyBytes = Whole(body, "max_body_bytes", long.MaxValue);
        }

        if (section.Get("read_timeout_ms") is { } read)
        {
            ReadTimeout = TimeSpan.FromMilliseconds(Whole(read, "read_timeout_ms", int.MaxValue));
        }

        if (section.Get("write_timeout_ms") is { } write)
        {
            WriteTimeout = TimeSpan.FromMilliseconds(Whole(write, "write_timeout_ms", int.MaxValue));
        }

        if (section.Get("api_keys") is { } keys)
        {
            foreach (var key in ReadKeys(keys, environment))
            {
                ApiKeys.Add(key);
            }
        }

        try
        {
            Validate();
        }
        catch (GranaryException e)
        {
            throw new GranaryException($"{RepoConfig.FileName}: {e.Message}");
        }

        return this;
    }

    private static List<ApiKey> ReadKeys(string yaml, Func<string, string?> environment)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlSequenceNode sequence)
        {
            throw Error("api_keys", "must be a list of { env: VARIABLE, scopes: [read, write, admin] }");
        }

        var keys = new List<ApiKey>();
        var index = 0;
        foreach (var item in sequence)
        {
            var where = $"api_keys[{index++}]";
            if (item is not YamlMappingNode mapping)
            {
                throw Error(where, "must be a mapping { env: VARIABLE, scopes: [...] }");
            }

            string? variable = null;
            var scopes = FeatureServerScopes.None;
            foreach (var (k, v) in mapping.Children)
            {
                switch ((k as YamlScalarNode)?.Value)
                {
                    case "env" when v is YamlScalarNode { Value: { Length: > 0 } name }:
                        variable = name;
                        break;
                    case "scopes" when v is YamlSequenceNode list:
                        foreach (var scope in list)
                        {
                            scopes |= (scope as YamlScalarNode)?.Value switch
                            {
                                "read" => FeatureServerScopes.Read,
                                "write" => FeatureServerScopes.Write,
                                "admin" => FeatureServerScopes.Admin,
                                var other => throw Error(where, $"unknown scope '{other}'; expected read, write or admin"),
                            };
                        }

                        break;
                    case "key" or "value" or "secret":
                        throw Error(where, "keys are never written in granary.yaml; put the key in an environment variable and name it with 'env'");
                    case var other:
                        throw Error(where, $"unexpected '{other}'; expected env: VARIABLE and scopes: [read, write, admin]");
                }
            }

            if (variable is null)
            {
                throw Error(where, "'env' must name the environment variable that holds the key");
            }

            var secret = environment(variable);
            if (string.IsNullOrEmpty(secret))
            {
                throw Error(where, $"environment variable {variable} is not set");
            }

            try
            {
                keys.Add(new ApiKey(variable, secret, scopes));
            }
            catch (GranaryException e)
            {
                throw Error(where, e.Message);
            }
        }

        return keys;
    }

    private static double Number(string text, string key) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value is >= 0 and <= 1e9
            ? value
            : throw Error(key, $"'{text}' is not a number");

    private static long Whole(string text, string key, long max) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max
            ? value
            : throw Error(key, $"'{text}' is not a whole number");

    private static GranaryException Error(string key, string message) =>
        new($"{RepoConfig.FileName}: feature_server.{key}: {message}");
}
