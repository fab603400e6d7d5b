namespace Granary.Redis;

/// <summary>The Lua scripts the store runs; StackExchange.Redis loads each once per server and calls it by SHA.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// Writes rows of one view to the hashes in KEYS (all in one hash slot), each only when its event
    /// time is at least the stored one, so that the check and the write are one atomic step.
    /// ARGV: [1] TTL in seconds (0 for none), [2] the view's row field, [3] the view's layout 1 event
    /// time field, or empty when the project holds no layout 1 rows, [4] the number m of layout 1
    /// feature fields, [5 .. 4+m] their names, then one value a key: the row, its event time in its
    /// first 8 bytes (little-endian Unix microseconds). Returns the number of rows written.
    /// </summary>
    /// <remarks>
    /// The event time is compared with the one in the row stored under the same field, so a row
    /// written under another schema (another field) never holds a write back: it cannot be read
    /// anyway. A layout 1 row of the view counts as stored while its <c>_ts:</c> field exists; a
    /// newer row removes its fields, which moves the key to layout 2. Event times are compared as
    /// Lua numbers (doubles), exact for microseconds up to 2^53, that is until the year 2255. HDEL
    /// arguments go in slices because Lua's unpack is limited to a few thousand values.
    /// </remarks>
    public const string WriteRows = """
        local ttl = tonumber(ARGV[1])
        local field = ARGV[2]
        local legacy = ARGV[3]
        local m = tonumber(ARGV[4])
        local base = 4 + m
        local written = 0
        for k = 1, #KEYS do
          local row = ARGV[base + k]
          local ts = struct.unpack('<i8', row)
          local stored = redis.call('HGET', KEYS[k], field)
          local newer = (not stored) or struct.unpack('<i8', stored) <= ts
          if newer and legacy ~= '' then
            local old = redis.call('HGET', KEYS[k], legacy)
            if old then
              newer = tonumber(old) <= ts
              if newer then
                redis.call('HDEL', KEYS[k], legacy)
                for s = 5, 4 + m, 2000 do
                  redis.call('HDEL', KEYS[k], unpack(ARGV, s, math.min(s + 1999, 4 + m)))
                end
              end
            end
          end
          if newer then
            redis.call('HSET', KEYS[k], field, row)
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
