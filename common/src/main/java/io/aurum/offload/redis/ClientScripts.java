package io.aurum.offload.redis;

/**
 * Scripts of the enqueue and status paths. Each touches the keys of one task, except {@link #ENQUEUE}, which is
 * used only when broker and result backend are one database.
 */
final class ClientScripts {

    private ClientScripts() {
    }

    /**
     * Pushes the message and records the task PENDING, atomically. KEYS: task, pending list. ARGV: job, queue,
     * tenant, created (ms), message.
     *
     * <p>Known limitation: the two keys are in different Cluster slots, so on Redis Cluster this script would have
     * to give way to the two-step path used for separate databases; Cluster mode is not implemented yet.
     */
    static final LuaScript ENQUEUE = new LuaScript("enqueue", """
            redis.call('LPUSH', KEYS[2], ARGV[5])
            redis.call('HSET', KEYS[1], 'job', ARGV[1], 'queue', ARGV[2], 'tenant', ARGV[3],
                'created', ARGV[4], 'state', 'PENDING', 'attempts', 0)
            return 1
            """);

    /**
     * Records the task PENDING unless a worker already recorded it, so a late write never sets a started or
     * finished task back to PENDING. KEYS: task. ARGV: job, queue, tenant, created (ms).
     */
    static final LuaScript RECORD_IF_ABSENT = new LuaScript("record-if-absent", """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return 0
            end
            redis.call('HSET', KEYS[1], 'job', ARGV[1], 'queue', ARGV[2], 'tenant', ARGV[3],
                'created', ARGV[4], 'state', 'PENDING', 'attempts', 0)
            return 1
            """);

    /**
     * Reads a task as a tenant may see it. Returns {1, fields...} when visible, {2} when the caller's own task has
     * expired, {0} otherwise. KEYS: task, gone marker. ARGV: "1" to check the tenant or "0", tenant.
     */
    static final LuaScript STATUS = new LuaScript("status", """
            local record = redis.call('HGETALL', KEYS[1])
            if #record > 0 then
              if ARGV[1] == '1' and (redis.call('HGET', KEYS[1], 'tenant') or '') ~= ARGV[2] then
                return {0}
              end
              return {1, record}
            end
            local owner = redis.call('GET', KEYS[2])
            if owner and (ARGV[1] == '0' or owner == ARGV[2]) then
              return {2}
            end
            return {0}
            """);
}
