package io.aurum.offload.redis;

/**
 * Scripts of the enqueue, status and cancel paths. Each touches the keys of one task, except
 * {@link #CLAIM_SLOT_AND_PUSH}, which touches the keys of one queue, and {@link #ENQUEUE}, which is used only when
 * broker and result backend are one database.
 */
final class ClientScripts {

    private ClientScripts() {
    }

    /** The fields every new record starts with. ARGV: job, queue, tenant, created (ms), not before (ms or 0). */
    private static final String NEW_RECORD = """
            local function new_record(task, job, queue, tenant, created, not_before)
              redis.call('HSET', task, 'job', job, 'queue', queue, 'tenant', tenant, 'created', created,
                  'state', 'PENDING', 'attempts', 0, 'failures', 0)
              if tonumber(not_before) > 0 then
                redis.call('HSET', task, 'not_before', not_before)
              end
            end
            """;

    /**
     * Adds a new task to its queue's index of recent tasks ({@link RedisKeys#recent}), for the admin endpoints: a
     * ZADD, and once the index holds a sixteenth more than its cap, one trim back to the cap, so the trim's cost is
     * shared by many enqueues. A cap of 0 keeps no index.
     */
    private static final String INDEX_RECENT = """
            local function index_recent(recent, created, id, cap)
              cap = tonumber(cap)
              if cap > 0 then
                redis.call('ZADD', recent, created, id)
                if redis.call('ZCARD', recent) > cap + math.floor(cap / 16) then
                  redis.call('ZREMRANGEBYRANK', recent, 0, -cap - 1)
                end
              end
            end
            """;

    /**
     * Claims the idempotency key (when one is given), queues the message (or delays it), records the task PENDING
     * and indexes it as recent, atomically. Returns {1} when enqueued, {0, claim} when the key was claimed before.
     *
     * <p>KEYS: task, pending, delayed, idempotency, recent. ARGV: job, queue, tenant, created, message, not before
     * (ms or 0), claim ("taskId:payloadHash" or "" for none), idempotency window (ms), task id, recent-tasks cap.
     *
     * <p>Known limitation: the keys are in different Cluster slots, so on Redis Cluster this script would have to
     * give way to the ordered path used for separate databases; Cluster mode is not implemented yet.
     */
    static final LuaScript ENQUEUE = new LuaScript("enqueue", NEW_RECORD + INDEX_RECENT + """
            if ARGV[7] ~= '' then
              local claim = redis.call('GET', KEYS[4])
              if claim then
                return {0, claim}
              end
              redis.call('SET', KEYS[4], ARGV[7], 'PX', ARGV[8])
            end
            if tonumber(ARGV[6]) > 0 then
              redis.call('ZADD', KEYS[3], ARGV[6], ARGV[5])
            else
              redis.call('LPUSH', KEYS[2], ARGV[5])
            end
            new_record(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6])
            index_recent(KEYS[5], ARGV[4], ARGV[9], ARGV[10])
            return {1}
            """);

    /**
     * Claims one slot of a periodic job and queues its message, atomically, on the broker: of any number of replicas
     * firing the same slot, only the first queues a task. Returns 1 when claimed and queued, 0 when the slot was
     * claimed before. KEYS: slot claim, pending. ARGV: task id, message, claim ttl (ms).
     */
    static final LuaScript CLAIM_SLOT_AND_PUSH = new LuaScript("claim-slot-and-push", """
            if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) then
              return 0
            end
            redis.call('LPUSH', KEYS[2], ARGV[2])
            return 1
            """);

    /**
     * Records the task PENDING unless a worker already recorded it, so a late write never sets a started or
     * finished task back to PENDING; indexes it as recent either way. KEYS: task, recent. ARGV: job, queue, tenant,
     * created (ms), not before (ms or 0), task id, recent-tasks cap.
     *
     * <p>Known limitation: the recent index is in its queue's Cluster slot, not the task's.
     */
    static final LuaScript RECORD_IF_ABSENT = new LuaScript("record-if-absent", NEW_RECORD + INDEX_RECENT + """
            index_recent(KEYS[2], ARGV[4], ARGV[6], ARGV[7])
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return 0
            end
            new_record(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
            return 1
            """);

    /**
     * Claims an idempotency key after the task was queued (held) and recorded (separate databases). Returns "" when
     * claimed, or the earlier claim. KEYS: idempotency. ARGV: claim, window (ms).
     */
    static final LuaScript CLAIM_KEY = new LuaScript("claim-idempotency-key", """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return ''
            end
            return redis.call('GET', KEYS[1])
            """);

    /**
     * Ends the hold of a message queued under an idempotency key (separate databases). The caller that won the key
     * moves it onto the queue, or, when it has a not_before of its own, rescores it to that time; the caller that
     * lost withdraws it, so no worker ever sees it. Returns 1 when the message was still held, 0 when a promoter
     * had already moved it. KEYS: delayed, pending. ARGV: message, "promote" or "withdraw", not before (ms or 0).
     */
    static final LuaScript END_HOLD = new LuaScript("end-idempotency-hold", """
            if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
              return 0
            end
            if ARGV[2] == 'withdraw' then
              redis.call('ZREM', KEYS[1], ARGV[1])
            elseif tonumber(ARGV[3]) > 0 then
              redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            else
              redis.call('ZREM', KEYS[1], ARGV[1])
              redis.call('RPUSH', KEYS[2], ARGV[1])
            end
            return 1
            """);

    /**
     * Reads a task as a tenant may see it. Returns {1, fields...} when visible, {2} when the caller's own task has
     * expired, {0} otherwise. A caller that will wait for the task passes "1" to watch: a visible record not yet
     * finished then gets {@code watch=1}, which makes the script that finishes the task publish its id on
     * {@link RedisKeys#taskDoneChannel()}. A missing record is never created. KEYS: task, gone marker. ARGV: "1"
     * to check the tenant or "0", tenant, "1" to watch or "0".
     */
    static final LuaScript STATUS = new LuaScript("status", """
            local record = redis.call('HGETALL', KEYS[1])
            if #record > 0 then
              if ARGV[1] == '1' and (redis.call('HGET', KEYS[1], 'tenant') or '') ~= ARGV[2] then
                return {0}
              end
              if ARGV[3] == '1' then
                local state = redis.call('HGET', KEYS[1], 'state')
                if state ~= 'SUCCESS' and state ~= 'FAILURE' and state ~= 'REVOKED' then
                  -- HSETNX: a repeated wait on the same task writes (and appends to the AOF) nothing.
                  redis.call('HSETNX', KEYS[1], 'watch', '1')
                end
              end
              return {1, record}
            end
            local owner = redis.call('GET', KEYS[2])
            if owner and (ARGV[1] == '0' or owner == ARGV[2]) then
              return {2}
            end
            return {0}
            """);

    /**
     * Cancels a task as a tenant may. A task not yet started becomes REVOKED (its message stays queued; the worker
     * that takes it sees REVOKED and drops it); a running one gets the cancel flag its worker watches. Returns
     * {code, fields...}: 1 revoked, 2 requested, 3 already finished; {0} when not visible. Revoking a watched
     * task publishes its id, as every script that makes a task final does.
     * KEYS: task, gone. ARGV: "1" to check the tenant or "0", tenant, now (ms), result ttl (ms), gone ttl (ms),
     * task-done channel, task id.
     */
    static final LuaScript CANCEL = new LuaScript("cancel", """
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state or (ARGV[1] == '1' and (redis.call('HGET', KEYS[1], 'tenant') or '') ~= ARGV[2]) then
              return {0}
            end
            if state == 'SUCCESS' or state == 'FAILURE' or state == 'REVOKED' then
              return {3, redis.call('HGETALL', KEYS[1])}
            end
            redis.call('HSET', KEYS[1], 'cancel', '1')
            if state == 'STARTED' then
              return {2, redis.call('HGETALL', KEYS[1])}
            end
            redis.call('HSET', KEYS[1], 'state', 'REVOKED', 'finished', ARGV[3])
            redis.call('HDEL', KEYS[1], 'retry_at')
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('SET', KEYS[2], redis.call('HGET', KEYS[1], 'tenant') or '', 'PX', ARGV[5])
            if redis.call('HGET', KEYS[1], 'watch') == '1' then
              redis.call('PUBLISH', ARGV[6], ARGV[7] .. ' ' .. cjson.encode(redis.call('HGETALL', KEYS[1])))
            end
            return {1, redis.call('HGETALL', KEYS[1])}
            """);
}
