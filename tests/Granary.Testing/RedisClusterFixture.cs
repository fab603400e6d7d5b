using System.Diagnostics;
using System.Globalization;

namespace Granary.Testing;

/// <summary>A real three-primary Redis Cluster for a test class, each node in a temp folder of its own.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private readonly List<RedisProcess> _nodes = [];

    /// <summary>The three primaries.</summary>
    public IReadOnlyList<RedisProcess> Nodes => _nodes;

    /// <summary>All nodes, as a cluster client is usually configured.</summary>
    public string ConnectionString => string.Join(",", _nodes.Select(n => n.Endpoint));

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await RedisProcess.StartAsync(
                "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-port", LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
                "--cluster-node-timeout", "5000"));
        }

        var create = await RedisProcess.RunCliAsync(
            ["--cluster", "create", .. _nodes.Select(n => n.Endpoint), "--cluster-replicas", "0", "--cluster-yes"]);
        if (!create.Contains("All 16384 slots covered", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("redis-cli --cluster create failed: " + create);
        }

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var states = await Task.WhenAll(_nodes.Select(n => n.CliAsync("cluster", "info")));
            if (states.All(s => s.Contains("cluster_state:ok", StringComparison.Ordinal) && s.Contains("cluster_known_nodes:3", StringComparison.Ordinal)))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the cluster did not reach cluster_state:ok on every node within 30 s: " + string.Join(" | ", states));
            }

            await Task.Delay(100);
        }
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        return Task.CompletedTask;
    }
}
