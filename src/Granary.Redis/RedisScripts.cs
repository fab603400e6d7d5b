namespace Granary.Redis;

/// <summary>The Lua scripts the store runs; StackExchange.Redis loads each once per server and calls it by SHA.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// Writes rows of one view to the hashes in KEYS (all in one hash slot), each only when its event
    /// time is at least the stored one, so that the check and the write are one atomic step.
    /// ARGV: [1] TTL in seconds (0 for none), [2] the number of features n, then for each key the
    /// HSET arguments as they go: the view's event time field, the event time in microseconds, then
    /// each feature field and its encoded value. Returns the number of rows written.
    /// </summary>
    /// <remarks>
    /// The field names travel with every row so that the script hands its arguments to HSET as they
    /// are, without building a table per row: that halved the server's time per row. Event times are
    /// compared as Lua numbers (doubles), exact for microseconds up to 2^53, that is until the year
    /// 2255. HSET arguments go in slices because Lua's unpack is limited to a few thousand values.
    /// </remarks>
    public const string WriteRows = """
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

    /// <summary>
    /// Writes an aggregation state only if nobody wrote it since it was read: the optimistic
    /// concurrency of a read-modify-write, one key, so it works on a cluster. KEYS[1]: the state's
    /// hash. ARGV: [1] the version read (empty when there was no state), [2] the new version (empty
    /// to delete the state), [3] the new state, [4] TTL in seconds (0 for none). Returns 1 when
    /// written, 0 when another writer got there first.
    /// </summary>
    public const string CompareAndSetState = """
        local version = redis.call('HGET', KEYS[1], 'v') or ''
        if version ~= ARGV[1] then
          return 0
        end
        if ARGV[2] == '' then
          redis.call('DEL', KEYS[1])
          return 1
        end
        redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
        if tonumber(ARGV[4]) > 0 then
          redis.call('EXPIRE', KEYS[1], ARGV[4])
        end
        return 1
        """;
}
