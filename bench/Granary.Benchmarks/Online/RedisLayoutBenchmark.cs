using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Granary.Definitions;
using Granary.Online;
using Granary.Redis;
using Granary.Testing;
using StackExchange.Redis;

namespace Granary.Benchmarks.Online;

/// <summary>
/// Two Redis layouts side by side, with the same client, the same monotonic write script and the same codec:
/// today's field per feature (a hash per entity, <c>_ts:{view}</c> plus one field a feature) and a blob per
/// view (<c>_ts:{view}</c> plus one field holding the view's row, encoded as the SQLite store encodes it).
/// Measures writes (rows of 10 float64 features, 100 rows a script call), 1 x 50 and 100 x 50 reads
/// (5 views of 10) with decoding, and the memory a key takes (INFO memory).
/// </summary>
internal static class RedisLayoutBenchmark
{
    private const int Views = 5;
    private const int FeaturesPerView = 10;
    private const int RowsPerCall = 100;
    private const int CallsInFlight = 200;

    private static readonly Field[] Schema = Enumerable.Range(0, FeaturesPerView).Select(f => new Field { Name = $"f{f}", Dtype = DataType.Float64 }).ToArray();

    public static async Task<int> RunAsync(string[] args)
    {
        var writes = Arg(args, "--writes", 1_000_000);
        var keys = Arg(args, "--keys", 10_000);
        var reads = Arg(args, "--reads", 20_000);
        using var redis = await RedisProcess.StartAsync();
        var configuration = ConfigurationOptions.Parse(redis.Endpoint);
        configuration.SocketManager = SocketManager.ThreadPool;
        configuration.AllowAdmin = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        var db = connection.GetDatabase();
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        Console.WriteLine($"redis {server.Version} at {redis.Endpoint}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"writes: {writes:N0} rows x {FeaturesPerView} float64 features into one view, {RowsPerCall} rows a call, {CallsInFlight} calls in flight; reads: {keys:N0} keys x {Views} views");
        Console.WriteLine("| layout | write rows/s | redis-server CPU µs a row | used_memory bytes a key (5 views x 10) | 1 x 50 p50 ms | 1 x 50 p99 ms | 100 x 50 p50 ms | 100 x 50 p99 ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var blob in new[] { false, true, false, true })
        {
            await server.FlushAllDatabasesAsync();
            // The store's own write script: the two layouts differ only in the fields they send.
            var sha = (byte[])(await server.ScriptLoadAsync(RedisScripts.WriteRows))!;
            var layout = blob ? "blob per view" : "field per feature";

            // Writes into one view of a fresh keyspace.
            var cpuBefore = await ServerCpuAsync(server);
            var clock = Stopwatch.StartNew();
            await WriteAsync(db, sha, blob, "w", 0, writes);
            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = await ServerCpuAsync(server) - cpuBefore;
            await server.FlushAllDatabasesAsync();

            // All 5 views of the read keys; memory a key from the difference.
            var memoryBefore = await UsedMemoryAsync(server);
            for (var v = 0; v < Views; v++)
            {
                await WriteAsync(db, sha, blob, "r", v, keys);
            }

            var perKey = (await UsedMemoryAsync(server) - memoryBefore) / (double)keys;
            var single = await ReadAsync(db, blob, keys, 1, reads);
            var hundred = await ReadAsync(db, blob, keys, 100, reads / 10);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {layout} | {writes / seconds:N0} | {cpu * 1e6 / writes:0.0} | {perKey:N0} | {single.P50:0.000} | {single.P99:0.000} | {hundred.P50:0.000} | {hundred.P99:0.000} |"));
        }

        return 0;
    }

    private static async Task WriteAsync(IDatabase db, byte[] sha, bool blob, string prefix, int view, int rows)
    {
        var random = new Random(view + 1);
        var inFlight = new List<Task>(CallsInFlight);
        var scratch = new ArrayBufferWriter<byte>(16);
        var timestamp = (RedisValue)FeatureValueCodec.ToUnixMicroseconds(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToString(CultureInfo.InvariantCulture);
        var tsField = (RedisValue)$"_ts:v{view}";
        var blobField = (RedisValue)$"v{view}";
        var featureFields = Enumerable.Range(0, FeaturesPerView).Select(f => (RedisValue)$"v{view}:f{f}").ToArray();
        var width = blob ? 4 : (2 * FeaturesPerView) + 2;
        for (var at = 0; at < rows; at += RowsPerCall)
        {
            var count = Math.Min(RowsPerCall, rows - at);
            var keys = new RedisKey[count];
            var values = new RedisValue[2 + (count * width)];
            values[0] = 0;
            values[1] = blob ? 1 : FeaturesPerView;
            var i = 2;
            for (var r = 0; r < count; r++)
            {
                keys[r] = $"{prefix}:{at + r}";
                var row = new object?[FeaturesPerView];
                for (var f = 0; f < FeaturesPerView; f++)
                {
                    row[f] = random.NextDouble();
                }

                values[i++] = tsField;
                values[i++] = timestamp;
                if (blob)
                {
                    var buffer = new ArrayBufferWriter<byte>(FeaturesPerView * 9);
                    FeatureValueCodec.EncodeRow(buffer, Schema, row, scratch);
                    values[i++] = blobField;
                    values[i++] = buffer.WrittenMemory.ToArray();
                }
                else
                {
                    for (var f = 0; f < FeaturesPerView; f++)
                    {
                        values[i++] = featureFields[f];
                        values[i++] = FeatureValueCodec.Encode(Schema[f], row[f]);
                    }
                }
            }

            inFlight.Add(db.ScriptEvaluateAsync(sha, keys, values));
            if (inFlight.Count == CallsInFlight)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    private static async Task<(double P50, double P99)> ReadAsync(IDatabase db, bool blob, int keys, int entities, int iterations)
    {
        var fields = new List<RedisValue>();
        for (var v = 0; v < Views; v++)
        {
            fields.Add($"_ts:v{v}");
            if (blob)
            {
                fields.Add($"v{v}");
            }
            else
            {
                fields.AddRange(Enumerable.Range(0, FeaturesPerView).Select(f => (RedisValue)$"v{v}:f{f}"));
            }
        }

        var names = fields.ToArray();
        var random = new Random(7);
        var latencies = new double[iterations];
        var ranges = new Range[FeaturesPerView];
        var sink = 0.0;
        for (var n = -iterations / 10; n < iterations; n++)
        {
            var start = Stopwatch.GetTimestamp();
            var replies = new Task<RedisValue[]>[entities];
            for (var e = 0; e < entities; e++)
            {
                replies[e] = db.HashGetAsync($"r:{random.Next(keys)}", names);
            }

            await Task.WhenAll(replies);
            foreach (var reply in replies)
            {
                var values = reply.Result;
                var width = blob ? 2 : 1 + FeaturesPerView;
                for (var v = 0; v < Views; v++)
                {
                    if (blob)
                    {
                        var row = ((ReadOnlyMemory<byte>)values[(v * width) + 1]).Span;
                        FeatureValueCodec.SplitRow(row, ranges);
                        for (var f = 0; f < FeaturesPerView; f++)
                        {
                            sink += (double)FeatureValueCodec.Decode(DataType.Float64, row[ranges[f]])!;
                        }
                    }
                    else
                    {
                        for (var f = 0; f < FeaturesPerView; f++)
                        {
                            sink += (double)FeatureValueCodec.Decode(DataType.Float64, ((ReadOnlyMemory<byte>)values[(v * width) + 1 + f]).Span)!;
                        }
                    }
                }
            }

            if (n >= 0)
            {
                latencies[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        GC.KeepAlive(sink);
        Array.Sort(latencies);
        return (latencies[iterations / 2], latencies[Math.Min(iterations - 1, (int)(iterations * 0.99))]);
    }

    private static async Task<long> UsedMemoryAsync(IServer server)
    {
        var info = await server.InfoAsync("memory");
        return long.Parse(info.SelectMany(g => g).First(p => p.Key == "used_memory").Value, CultureInfo.InvariantCulture);
    }

    private static async Task<double> ServerCpuAsync(IServer server)
    {
        var info = (await server.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        return double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
