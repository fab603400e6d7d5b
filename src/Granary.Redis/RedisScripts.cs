namespace Granary.Redis;

/// <summary>The Lua scripts the store runs; StackExchange.Redis loads each once per server and calls it by SHA.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// Writes rows of one view to the hashes in KEYS (all in one hash slot), each only when its event
    /// time is at least the stored one, so that the check and the write are one atomic step.
    /// ARGV: [1] TTL in seconds (0 for none), [2] the view's event time field, [3] the number of
    /// features n, [4 .. 3+n] the feature fields, then for each key its event time in microseconds
    /// followed by its n encoded values. Returns the number of rows written.
    /// </summary>
    /// <remarks>
    /// Event times are compared as Lua numbers (doubles), exact for microseconds up to 2^53, that is
    /// until the year 2255. HSET arguments go in slices because Lua's unpack is limited to a few
    /// thousand values.
    /// </remarks>
    public const string WriteRows = """
        local ttl = tonumber(ARGV[1])
        local ts_field = ARGV[2]
        local n = tonumber(ARGV[3])
        local written = 0
        for k = 1, #KEYS do
          local base = 4 + n + (k - 1) * (n + 1)
          local ts = ARGV[base]
          local stored = redis.call('HGET', KEYS[k], ts_field)
          if (not stored) or tonumber(stored) <= tonumber(ts) then
            local args = { ts_field, ts }
            for i = 1, n do
              args[2 * i + 1] = ARGV[3 + i]
              args[2 * i + 2] = ARGV[base + i]
            end
            for s = 1, #args, 2000 do
              redis.call('HSET', KEYS[k], unpack(args, s, math.min(s + 1999, #args)))
            end
            if ttl > 0 then
              redis.call('EXPIRE', KEYS[k], ttl)
            end
            written = written + 1
          end
        end
        return written
        """;
}
