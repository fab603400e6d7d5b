using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Granary.Testing;

/// <summary>
/// A throwaway PostgreSQL server: initdb into a temp folder, started on a free loopback port with
/// durability turned off, stopped and deleted on dispose. PostgreSQL refuses to run as root, so
/// under root the server runs as the <c>postgres</c> system user. Shared by the tests' fixture and
/// the benchmark, so it has no test-framework dependency (<see cref="PostgresServer"/> is the fixture).
/// </summary>
public sealed class TempPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-pg-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _log = new();
    private string _bin = string.Empty;
    private string? _runAs;
    private Process? _server;
    private int _databases;

    /// <summary>The port the server listens on at 127.0.0.1.</summary>
    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_folder, "data");

    private string SocketDirectory => Path.Combine(_folder, "socket");

    /// <summary>A connection string for <paramref name="database"/> as the superuser (trust authentication, no password).</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
            Pooling = true,
        }.ConnectionString;

    /// <summary>Creates a fresh database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Extra <c>-c name=value</c> server settings, applied after the defaults.</summary>
    public IReadOnlyList<string> ExtraSettings { get; init; } = [];

    /// <summary>Creates the cluster and starts the server; throws with the server's log when it cannot.</summary>
    public async Task StartAsync()
    {
        _bin = FindBinaries();
        // .NET reports the effective user's name on Unix.
        _runAs = Environment.UserName == "root" ? CheckPostgresUser() : null;
        Directory.CreateDirectory(SocketDirectory);
        if (_runAs is not null)
        {
            // The folder is created by root; the server's user must own it.
            await RunAsync("chown", ["-R", $"{_runAs}:", _folder]);
        }

        await RunAsync(Path.Combine(_bin, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asServerUser: true);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Port = LoopbackPort.Free();
            try
            {
                await StartServerAsync();
                return;
            }
            catch (InvalidOperationException e) when (e.Message.Contains("could not bind", StringComparison.Ordinal) || e.Message.Contains("in use", StringComparison.Ordinal))
            {
                // Another process took the port between probing and binding: try another one.
                last = e;
            }
        }

        throw last!;
    }

    /// <summary>Kills the server as a crash would (<c>pg_ctl stop -m immediate</c>), keeping its data for <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is { HasExited: false })
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], asServerUser: true);
            await _server.WaitForExitAsync();
        }
    }

    /// <summary>Starts the stopped server again on the same port and data (crash recovery runs first).</summary>
    public Task RestartAsync() => StartServerAsync();

    /// <summary>Stops the server immediately and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is { HasExited: false })
        {
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], asServerUser: true);
            }
            catch (InvalidOperationException)
            {
                _server.Kill(entireProcessTree: true);
            }

            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task StartServerAsync()
    {
        lock (_log)
        {
            _log.Clear();
        }

        string[] settings =
        [
            "listen_addresses=127.0.0.1", "fsync=off", "synchronous_commit=off", "full_page_writes=off",
            "max_connections=200", "shared_buffers=128MB", "work_mem=64MB", "maintenance_work_mem=256MB",
            "max_wal_size=2GB", "checkpoint_timeout=30min", "autovacuum=off", "jit=off", "log_min_messages=warning",
        ];
        var arguments = new List<string> { "-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", SocketDirectory };
        foreach (var setting in settings.Concat(ExtraSettings))
        {
            arguments.Add("-c");
            arguments.Add(setting);
        }

        _server = Start(Path.Combine(_bin, "postgres"), arguments, asServerUser: true);
        _server.OutputDataReceived += (_, e) => Log(e.Data);
        _server.ErrorDataReceived += (_, e) => Log(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with code {_server.ExitCode} while starting:\n{LogText()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false;Timeout=2");
                await connection.OpenAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException && watch.Elapsed < StartTimeout)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private string LogText()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    /// <summary>The folder of <c>initdb</c>: the newest <c>/usr/lib/postgresql/N/bin</c> (Debian keeps it off PATH), else PATH.</summary>
    private static string FindBinaries()
    {
        const string debianRoot = "/usr/lib/postgresql";
        var debian = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .OrderByDescending(d => double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        var initdb = Executable.Find("initdb", "postgresql", debian.Concat(Executable.PathFolders));
        var folder = Path.GetDirectoryName(initdb)!;
        foreach (var name in new[] { "postgres", "pg_ctl" })
        {
            if (!File.Exists(Path.Combine(folder, name)))
            {
                throw new InvalidOperationException($"{name} not found beside {initdb}: apt-get install postgresql");
            }
        }

        return folder;
    }

    private static string CheckPostgresUser()
    {
        var id = Process.Start(new ProcessStartInfo("id", ["-u", SuperUser]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        id.WaitForExit();
        if (id.ExitCode != 0)
        {
            throw new InvalidOperationException(
                "the tests run as root, which PostgreSQL refuses, and there is no 'postgres' user to run the server as: " +
                "apt-get install -y postgresql creates it, or run: useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres");
        }

        return SuperUser;
    }

    private Process Start(string program, IReadOnlyList<string> arguments, bool asServerUser)
    {
        var info = asServerUser && _runAs is not null
            ? new ProcessStartInfo("runuser", ["-u", _runAs, "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = _folder;
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser = false)
    {
        using var process = Start(program, arguments, asServerUser);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with code {process.ExitCode}:\n{await output}{await error}");
        }
    }
}
