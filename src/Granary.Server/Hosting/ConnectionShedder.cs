using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Hosting;

/// <summary>
/// Caps the open connections of every listener it is added to, so that idle clients cannot pin every file
/// descriptor. At the cap a new connection sheds the oldest connection that has no request in flight (one
/// still sending its headers, or idle between keep-alive requests), and is itself closed when every
/// connection is busy. Idle connections therefore cannot keep out a health check, and the server's memory
/// stays bounded by the cap. Add <see cref="Middleware"/> to each listener and <see cref="TrackRequestsAsync"/>
/// to the request pipeline.
/// </summary>
public sealed class ConnectionShedder
{
    private const string ItemKey = "granary.connection";
    private readonly LinkedList<Tracked> _open = [];
    private readonly Lock _lock = new();

    private readonly Lazy<int> _limit;

    /// <summary>Creates a shedder keeping at most <paramref name="limit"/> connections open.</summary>
    /// <param name="limit">The cap, at least 1.</param>
    public ConnectionShedder(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = new Lazy<int>(limit);
    }

    /// <summary>Creates a shedder whose cap is decided at the first connection, for example by <see cref="FitDescriptorLimit"/> once the server runs.</summary>
    /// <param name="limit">Gives the cap, at least 1.</param>
    public ConnectionShedder(Func<int> limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limit = new Lazy<int>(() => Math.Max(1, limit()));
    }

    /// <summary>The most connections open at once.</summary>
    public int Limit => _limit.Value;

    /// <summary>Connections open now.</summary>
    public int Open
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Connections shed or refused since start.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    private long _shed;

    /// <summary>The connection middleware: <c>listenOptions.Use(shedder.Middleware)</c>.</summary>
    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        var tracked = new Tracked(connection);
        Tracked? victim = null;
        var admitted = true;
        lock (_lock)
        {
            if (_open.Count >= Limit)
            {
                // Oldest first: a flood of idle connections is shed before the clients that came after it.
                for (var node = _open.First; node is not null; node = node.Next)
                {
                    if (Volatile.Read(ref node.Value.InFlight) == 0 && !node.Value.Shed)
                    {
                        victim = node.Value;
                        victim.Shed = true;
                        _open.Remove(node);
                        break;
                    }
                }

                admitted = victim is not null;
            }

            if (admitted)
            {
                tracked.Node = _open.AddLast(tracked);
            }
        }

        if (victim is not null)
        {
            Interlocked.Increment(ref _shed);
            victim.Connection.Abort(new ConnectionAbortedException("shed: the server is at its connection limit and this connection was idle"));
        }

        if (!admitted)
        {
            Interlocked.Increment(ref _shed);
            connection.Abort(new ConnectionAbortedException("refused: the server is at its connection limit and every connection is busy"));
            return;
        }

        connection.Items[ItemKey] = tracked;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                if (tracked.Node?.List is not null)
                {
                    _open.Remove(tracked.Node);
                }
            }
        }
    };

    /// <summary>Request middleware marking the request's connection busy while the request runs, so that it is never shed.</summary>
    public async Task TrackRequestsAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var tracked = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var item) == true ? item as Tracked : null;
        if (tracked is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref tracked.InFlight);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref tracked.InFlight);
        }
    }

    /// <summary>
    /// A cap that fits the process's open-file limit: a quarter of the descriptors still free (at least 128) stay
    /// for what the process opens later (assemblies load lazily and hold their files open, stores, the registry,
    /// logs), the rest may be connections, at most <paramref name="ceiling"/>; <paramref name="ceiling"/> when the
    /// limit cannot be read (outside Linux). Call it once the host is built, when most assemblies are loaded.
    /// </summary>
    public static int FitDescriptorLimit(int ceiling = 10_000)
    {
        var limit = OpenFileLimit();
        var open = OpenDescriptors();
        if (limit is null || open is null)
        {
            return ceiling;
        }

        var free = limit.Value - open.Value;
        return (int)Math.Clamp(free - Math.Max(128, free / 4), 16, ceiling);
    }

    /// <summary>The descriptors the process has open, from <c>/proc/self/fd</c>, or null.</summary>
    public static int? OpenDescriptors()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit of open files from <c>/proc/self/limits</c> (the runtime raises it to the hard limit at start), or null.</summary>
    public static long? OpenFileLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.TryParse(fields[0], System.Globalization.CultureInfo.InvariantCulture, out var soft) ? soft : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private sealed class Tracked(ConnectionContext connection)
    {
        public int InFlight;

        public ConnectionContext Connection { get; } = connection;

        public LinkedListNode<Tracked>? Node { get; set; }

        public bool Shed { get; set; }
    }
}
