using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Granary.Definitions;
using Granary.Online;
using Granary.Redis;
using Granary.Testing;
using StackExchange.Redis;

namespace Granary.Benchmarks.Online;

/// <summary>
/// Redis layouts side by side, with the same client and the same codec: layout 1 of release 0.1 (a hash
/// per entity, <c>_ts:{view}</c> plus one field a feature, written by 0.1's script), the store's layout 2
/// (one field a view, <c>{view}#{schema hash}</c>, holding the event time and the row, written by the
/// store's script), layout 2 with <c>hash-max-listpack-value</c> raised to 128 so that the hashes stay
/// listpacks, and a string key per entity and view (memory and reads only). Measures writes (rows of
/// 10 float64 features, 100 rows a script call), 1 x 50 and 100 x 50 reads (5 views of 10) with
/// decoding, and the memory a key takes (INFO memory).
/// </summary>
internal static class RedisLayoutBenchmark
{
    private const int Views = 5;
    private const int FeaturesPerView = 10;
    private const int RowsPerCall = 100;
    private const int CallsInFlight = 200;

    /// <summary>
    /// Release 0.1's write script, kept here to measure the layout it wrote: ARGV [1] TTL, [2] the number
    /// of features n, then per key the HSET arguments: <c>_ts:{view}</c>, the event time, then each
    /// feature field and value; a row is written when its event time is at least the stored one.
    /// </summary>
    private const string Layout1WriteRows = """
        local ttl = tonumber(ARGV[1])
        local width = 2 * tonumber(ARGV[2]) + 2
        local written = 0
        for k = 1, #KEYS do
          local base = 3 + (k - 1) * width
          local ts = ARGV[base + 1]
          local stored = redis.call('HGET', KEYS[k], ARGV[base])
          if (not stored) or tonumber(stored) <= tonumber(ts) then
            for s = base, base + width - 1, 2000 do
              redis.call('HSET', KEYS[k], unpack(ARGV, s, math.min(s + 1999, base + width - 1)))
            end
            if ttl > 0 then
              redis.call('EXPIRE', KEYS[k], ttl)
            end
            written = written + 1
          end
        end
        return written
        """;

    private static readonly Field[] Schema = Enumerable.Range(0, FeaturesPerView).Select(f => new Field { Name = $"f{f}", Dtype = DataType.Float64 }).ToArray();

    private static readonly FeatureView[] ViewDefinitions = Enumerable.Range(0, Views)
        .Select(v => new FeatureView { Name = $"v{v}", Entities = ["e"], Source = "s", Schema = Schema })
        .ToArray();

    private enum Layout
    {
        FieldPerFeature,
        BlobPerView,
        BlobPerViewListpack,
        StringPerView,
    }

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
        var order = new[] { Layout.FieldPerFeature, Layout.BlobPerView, Layout.BlobPerViewListpack, Layout.StringPerView };
        foreach (var layout in order.Concat(order))
        {
            await server.FlushAllDatabasesAsync();
            await server.ConfigSetAsync("hash-max-listpack-value", layout == Layout.BlobPerViewListpack ? 128 : 64);
            var sha = layout switch
            {
                Layout.FieldPerFeature => (byte[])(await server.ScriptLoadAsync(Layout1WriteRows))!,
                Layout.StringPerView => [],
                _ => (byte[])(await server.ScriptLoadAsync(RedisScripts.WriteRows))!,
            };
            var name = layout switch
            {
                Layout.FieldPerFeature => "field per feature (layout 1, release 0.1)",
                Layout.BlobPerView => "blob per view (layout 2)",
                Layout.BlobPerViewListpack => "blob per view, hash-max-listpack-value 128",
                _ => "string key per entity and view",
            };

            // Writes into one view of a fresh keyspace.
            var throughput = "-";
            var serverCpu = "-";
            if (layout != Layout.StringPerView)
            {
                var cpuBefore = await ServerCpuAsync(server);
                var clock = Stopwatch.StartNew();
                await WriteAsync(db, sha, layout, "w", 0, writes);
                var seconds = clock.Elapsed.TotalSeconds;
                var cpu = await ServerCpuAsync(server) - cpuBefore;
                throughput = (writes / seconds).ToString("N0", CultureInfo.InvariantCulture);
                serverCpu = (cpu * 1e6 / writes).ToString("0.0", CultureInfo.InvariantCulture);
                await server.FlushAllDatabasesAsync();
            }

            // All 5 views of the read keys; memory a key from the difference.
            var memoryBefore = await UsedMemoryAsync(server);
            for (var v = 0; v < Views; v++)
            {
                await WriteAsync(db, sha, layout, "r", v, keys);
            }

            var perKey = (await UsedMemoryAsync(server) - memoryBefore) / (double)keys;
            var single = await ReadAsync(db, layout, keys, 1, reads);
            var hundred = await ReadAsync(db, layout, keys, 100, reads / 10);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {throughput} | {serverCpu} | {perKey:N0} | {single.P50:0.000} | {single.P99:0.000} | {hundred.P50:0.000} | {hundred.P99:0.000} |"));
        }

        await server.ConfigSetAsync("hash-max-listpack-value", 64);
        return 0;
    }

    private static async Task WriteAsync(IDatabase db, byte[] sha, Layout layout, string prefix, int view, int rows)
    {
        var random = new Random(view + 1);
        var inFlight = new List<Task>(CallsInFlight);
        var scratch = new ArrayBufferWriter<byte>(16);
        var micros = FeatureValueCodec.ToUnixMicroseconds(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var timestamp = (RedisValue)micros.ToString(CultureInfo.InvariantCulture);
        var tsField = (RedisValue)$"_ts:v{view}";
        var rowField = RedisLayout.RowField(ViewDefinitions[view]);
        var featureFields = Enumerable.Range(0, FeaturesPerView).Select(f => (RedisValue)$"v{view}:f{f}").ToArray();
        var perRow = layout == Layout.FieldPerFeature ? (2 * FeaturesPerView) + 2 : 1;
        RedisValue[] header = layout == Layout.FieldPerFeature ? [0, FeaturesPerView] : [0, rowField, RedisValue.EmptyString, 0];
        for (var at = 0; at < rows; at += RowsPerCall)
        {
            var count = Math.Min(RowsPerCall, rows - at);
            var keys = new RedisKey[count];
            var values = new RedisValue[header.Length + (count * perRow)];
            header.CopyTo(values, 0);
            var i = header.Length;
            for (var r = 0; r < count; r++)
            {
                keys[r] = layout == Layout.StringPerView ? $"{prefix}:{at + r}:v{view}" : $"{prefix}:{at + r}";
                var row = new object?[FeaturesPerView];
                for (var f = 0; f < FeaturesPerView; f++)
                {
                    row[f] = random.NextDouble();
                }

                if (layout == Layout.FieldPerFeature)
                {
                    values[i++] = tsField;
                    values[i++] = timestamp;
                    for (var f = 0; f < FeaturesPerView; f++)
                    {
                        values[i++] = featureFields[f];
                        values[i++] = FeatureValueCodec.Encode(Schema[f], row[f]);
                    }
                }
                else
                {
                    // Layout 2's row: the event time in 8 bytes, then the values.
                    var buffer = new ArrayBufferWriter<byte>(8 + (FeaturesPerView * 10));
                    BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), micros);
                    buffer.Advance(8);
                    FeatureValueCodec.EncodeRow(buffer, Schema, row, scratch);
                    values[i++] = buffer.WrittenMemory.ToArray();
                }
            }

            if (layout == Layout.StringPerView)
            {
                // Plain SETs, without a monotonic check: a lower bound of what such a layout costs.
                inFlight.Add(db.StringSetAsync(keys.Zip(values.Skip(header.Length), (k, v) => new KeyValuePair<RedisKey, RedisValue>(k, v)).ToArray()));
            }
            else
            {
                inFlight.Add(db.ScriptEvaluateAsync(sha, keys, values));
            }

            if (inFlight.Count == CallsInFlight)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    private static async Task<(double P50, double P99)> ReadAsync(IDatabase db, Layout layout, int keys, int entities, int iterations)
    {
        var fields = new List<RedisValue>();
        for (var v = 0; v < Views; v++)
        {
            if (layout == Layout.FieldPerFeature)
            {
                fields.Add($"_ts:v{v}");
                fields.AddRange(Enumerable.Range(0, FeaturesPerView).Select(f => (RedisValue)$"v{v}:f{f}"));
            }
            else
            {
                fields.Add(RedisLayout.RowField(ViewDefinitions[v]));
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
                var key = random.Next(keys);
                replies[e] = layout == Layout.StringPerView
                    ? db.StringGetAsync(Enumerable.Range(0, Views).Select(v => (RedisKey)$"r:{key}:v{v}").ToArray())
                    : db.HashGetAsync($"r:{key}", names);
            }

            await Task.WhenAll(replies);
            foreach (var reply in replies)
            {
                var values = reply.Result;
                for (var v = 0; v < Views; v++)
                {
                    if (layout == Layout.FieldPerFeature)
                    {
                        var width = 1 + FeaturesPerView;
                        for (var f = 0; f < FeaturesPerView; f++)
                        {
                            sink += (double)FeatureValueCodec.Decode(DataType.Float64, ((ReadOnlyMemory<byte>)values[(v * width) + 1 + f]).Span)!;
                        }
                    }
                    else
                    {
                        var stored = ((ReadOnlyMemory<byte>)values[v]).Span;
                        sink += BinaryPrimitives.ReadInt64LittleEndian(stored);
                        var row = stored[8..];
                        FeatureValueCodec.SplitRow(row, ranges);
                        for (var f = 0; f < FeaturesPerView; f++)
                        {
                            sink += (double)FeatureValueCodec.Decode(DataType.Float64, row[ranges[f]])!;
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
