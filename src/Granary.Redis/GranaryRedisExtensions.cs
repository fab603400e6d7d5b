using Granary.Redis;

// Extensions live in the root namespace so that AddRedis() is found without extra usings.
namespace Granary;

/// <summary>Plugs the Redis online store into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranaryRedisExtensions
{
    /// <summary>
    /// Makes <c>online_store: { type: redis, connection_string: "127.0.0.1:6379" }</c> available; the
    /// keys of the section are those of <see cref="RedisOnlineStoreOptions"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connected">
    /// Called with each Redis connection the store makes, for example to trace its commands with
    /// OpenTelemetry (<c>instrumentation.AddConnection(connection)</c>); null for nothing.
    /// </param>
    public static FeatureStoreBuilder AddRedis(this FeatureStoreBuilder builder, Action<StackExchange.Redis.IConnectionMultiplexer>? connected = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddOnlineStore("redis", context => new RedisOnlineStore(context.Bind(new RedisOnlineStoreOptions()), context.LoggerFactory, connected));
    }
}
