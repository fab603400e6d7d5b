using Granary.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Instrumentation.StackExchangeRedis;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace Granary.Cli;

/// <summary>
/// <c>granary serve</c>'s OpenTelemetry export: when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, Granary's spans
/// (with ASP.NET Core's, Npgsql's and StackExchange.Redis's beneath them) and the server's metrics go to that
/// OTLP endpoint; the exporter's other <c>OTEL_*</c> variables (protocol, headers, service name) apply as usual.
/// Without it no tracer is registered, so the read path records nothing.
/// </summary>
internal sealed class Telemetry
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private StackExchangeRedisInstrumentation? _redis;

    private Telemetry()
    {
    }

    /// <summary>Adds each Redis connection the online store makes to the Redis instrumentation, when tracing.</summary>
    public Action<IConnectionMultiplexer>? RedisConnected { get; private set; }

    public static Telemetry AddOtlpExport(IServiceCollection services, Func<string, string?> environment)
    {
        var telemetry = new Telemetry();
        if (string.IsNullOrWhiteSpace(environment(EndpointVariable)))
        {
            return telemetry;
        }

        telemetry.RedisConnected = connection => telemetry._redis?.AddConnection(connection);
        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(environment("OTEL_SERVICE_NAME")))
                {
                    resource.AddService("granary");
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(GranaryDiagnostics.ActivitySourceName)
                .AddAspNetCoreInstrumentation()
                .AddNpgsql()
                .AddRedisInstrumentation()
                .ConfigureRedisInstrumentation(redis => telemetry._redis = redis)
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddOtlpExporter());
        return telemetry;
    }
}
