using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

namespace Granary.Benchmarks.Offline;

/// <summary>
/// Training data on a flights-like data set through the real <c>granary</c> executable, against a hand-written
/// DuckDB query giving the same rows in the same order. <c>flights-training</c> generates the data and a repo
/// (3M events over 230 airport codes, event times on the minute so that about one in six has a tie on its key,
/// a created time that breaks the ties, ttl 1 day; 1M entity rows with extra columns) and prints the two
/// commands to compare as whole processes; <c>flights-baseline FOLDER</c> is the hand-written query;
/// <c>flights-check FOLDER</c> tells whether the two outputs hold the same rows in the same order.
/// </summary>
internal static class FlightsTrainingBenchmark
{
    private const int Airports = 230;

    /// <summary>The features and their Granary types, in request (and output) order.</summary>
    private static readonly (string Name, string Dtype, string DuckDbType)[] Features =
    [
        ("dep_delay", "float64", "DOUBLE"),
        ("arr_delay", "float64", "DOUBLE"),
        ("taxi_out", "float64", "DOUBLE"),
        ("distance", "int64", "BIGINT"),
        ("carrier", "string", "VARCHAR"),
    ];

    public static Task<int> RunAsync(string[] args)
    {
        var events = Arg(args, "--events", 3_000_000);
        var entities = Arg(args, "--entities", 1_000_000);
        var folder = Path.Combine(Path.GetTempPath(), $"granary-bench-flights-{events}-{entities}");
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        if (!File.Exists(Path.Combine(folder, "data", "entities.parquet")))
        {
            Generate(folder, events, entities);
        }

        using (var connection = Open())
        {
            var ties = Scalar(connection, $"SELECT count(*) - count(DISTINCT (origin, event_timestamp)) FROM read_parquet('{folder}/data/flights.parquet')");
            Console.WriteLine($"{folder}: {events:N0} events over {Airports} airports ({ties:N0} share their key's event time with an earlier row), {entities:N0} entity rows, ttl 1 day");
        }

        var features = string.Join(',', Features.Select(f => $"flights:{f.Name}"));
        Console.WriteLine("Granary (the repo is applied by the first run):");
        Console.WriteLine($"  granary --repo {folder} get-historical-features --entities {folder}/data/entities.parquet -f {features} -o {folder}/out-granary.parquet --force");
        Console.WriteLine("Hand-written DuckDB query:");
        Console.WriteLine($"  dotnet {typeof(FlightsTrainingBenchmark).Assembly.Location} flights-baseline {folder}");
        Console.WriteLine("Same rows, same order:");
        Console.WriteLine($"  dotnet {typeof(FlightsTrainingBenchmark).Assembly.Location} flights-check {folder}");
        return Task.FromResult(0);
    }

    /// <summary>The hand-written query: the same point-in-time join, ttl and tie-breaking as Granary, entity order kept.</summary>
    public static Task<int> RunBaselineAsync(string[] args)
    {
        var folder = args[0];
        using var connection = Open();
        var values = string.Join(", ", Features.Select(f => $"CASE WHEN v.event_timestamp >= e.event_timestamp - INTERVAL 1 DAY THEN v.{f.Name} END AS {f.Name}"));
        var columns = string.Join(", ", Features.Select(f => f.Name));
        Execute(connection, $"""
            COPY (
              SELECT e.* EXCLUDE (row_id), {values}
              FROM (SELECT *, row_number() OVER () AS row_id FROM read_parquet('{folder}/data/entities.parquet')) e
              ASOF LEFT JOIN (
                SELECT origin, event_timestamp, {columns} FROM read_parquet('{folder}/data/flights.parquet')
                QUALIFY row_number() OVER (PARTITION BY origin, event_timestamp ORDER BY created DESC NULLS LAST) = 1
              ) v ON e.origin = v.origin AND e.event_timestamp >= v.event_timestamp
              ORDER BY e.row_id
            ) TO '{folder}/out-baseline.parquet' (FORMAT parquet)
            """);
        return Task.FromResult(0);
    }

    /// <summary>Compares the two outputs row by row, in file order.</summary>
    public static Task<int> RunCheckAsync(string[] args)
    {
        var folder = args[0];
        using var connection = Open();
        long Count(string file) => Scalar(connection, $"SELECT count(*) FROM read_parquet('{file}')");
        var granary = $"{folder}/out-granary.parquet";
        var baseline = $"{folder}/out-baseline.parquet";
        var different = Scalar(connection, $"""
            SELECT count(*) FROM
              (SELECT row_number() OVER () AS n, CAST(t AS VARCHAR) AS h FROM read_parquet('{granary}') t) g
              FULL JOIN (SELECT row_number() OVER () AS n, CAST(t AS VARCHAR) AS h FROM read_parquet('{baseline}') t) b USING (n)
            WHERE g.h IS DISTINCT FROM b.h
            """);
        Console.WriteLine($"granary {Count(granary):N0} rows, baseline {Count(baseline):N0} rows, {different:N0} differ in position or content");
        return Task.FromResult(different == 0 ? 0 : 1);
    }

    private static void Generate(string folder, int events, int entities)
    {
        var clock = Stopwatch.StartNew();
        using var connection = Open();
        const int Days = 30;

        // Event times fall on whole minutes: 13,000 events a key over 43,200 minutes collide often. The created
        // time (unique a row) decides which of a key's tied rows counts, as Granary's tie rule says.
        Execute(connection, $"""
            SELECT setseed(0.15);
            COPY (
              SELECT printf('A%03d', (i % {Airports})) AS origin,
                     TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes((random() * {Days * 24 * 60})::BIGINT) AS event_timestamp,
                     TIMESTAMPTZ '2024-03-01 00:00:00+00' + to_microseconds(i) AS created,
                     round(random() * 120 - 20, 1) AS dep_delay,
                     round(random() * 130 - 30, 1) AS arr_delay,
                     round(random() * 40, 1) AS taxi_out,
                     (100 + random() * 2500)::BIGINT AS distance,
                     ['AA', 'DL', 'UA', 'WN', 'B6', 'AS', 'NK'][1 + (i % 7)] AS carrier
              FROM range({events}) t(i)
            ) TO '{folder}/data/flights.parquet' (FORMAT parquet);
            COPY (
              SELECT printf('A%03d', (random() * {Airports})::BIGINT % {Airports}) AS origin,
                     TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((random() * {(Days + 1) * 86400})::BIGINT) AS event_timestamp,
                     i AS flight_id,
                     (random() < 0.2)::INTEGER AS delayed,
                     'row ' || i AS note
              FROM range({entities}) t(i)
            ) TO '{folder}/data/entities.parquet' (FORMAT parquet);
            """);
        File.WriteAllText(Path.Combine(folder, "granary.yaml"), "project: bench_flights\noffline_store: { type: duckdb }\nonline_store: { type: sqlite, path: data/online.db }\n");
        var schema = string.Concat(Features.Select(f => $"  - {{ name: {f.Name}, dtype: {f.Dtype} }}\n"));
        File.WriteAllText(Path.Combine(folder, "features.yaml"), $"""
            kind: entity
            name: airport
            join_keys: [origin]
            value_type: string
            ---
            kind: file_source
            name: flights
            path: data/flights.parquet
            timestamp_field: event_timestamp
            created_timestamp_column: created
            ---
            kind: feature_view
            name: flights
            entities: [airport]
            source: flights
            ttl: 1d
            online: false
            schema:

            """ + schema);
        Console.WriteLine($"generated in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "SET TimeZone = 'UTC'");
        return connection;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
