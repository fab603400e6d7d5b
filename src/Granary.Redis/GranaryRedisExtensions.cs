using System.Globalization;
using Granary.Redis;

// Extensions live in the root namespace so that AddRedis() is found without extra usings.
namespace Granary;

/// <summary>Plugs the Redis online store into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranaryRedisExtensions
{
    /// <summary>
    /// Makes <c>online_store: { type: redis, connection_string: "127.0.0.1:6379", key_ttl: 0 }</c>
    /// available; <c>key_ttl</c> is in seconds, 0 (the default) for none. See
    /// <see cref="RedisOnlineStoreOptions"/>.
    /// </summary>
    public static FeatureStoreBuilder AddRedis(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddOnlineStore("redis", context =>
        {
            var options = new RedisOnlineStoreOptions
            {
                ConnectionString = context.Section.Get("connection_string")
                    ?? throw new GranaryException("granary.yaml: online_store.connection_string is required for type redis"),
            };
            if (context.Section.Get("key_ttl") is { } ttl)
            {
                options.KeyTtl = long.TryParse(ttl, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 3650L * 24 * 3600
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new GranaryException($"granary.yaml: online_store.key_ttl must be whole seconds from 0 to 315360000, not '{ttl}'");
            }

            return new RedisOnlineStore(options);
        });
    }
}
