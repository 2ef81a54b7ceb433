package io.aurum.offload.worker;

import io.aurum.offload.redis.LuaScript;

/**
 * The worker's atomic steps. Broker scripts touch the keys of one queue, result scripts the keys of one task;
 * {@link #RECORD_AND_SETTLE} alone spans both and is used only when they are one database. Times that decide
 * liveness come from Redis's own clock, so workers with skewed clocks agree on who is dead.
 */
final class WorkerScripts {

    private WorkerScripts() {
    }

    /**
     * Marks a task STARTED and counts the attempt, writing the record from the message if the api's write has not
     * landed yet. Returns {attempt, failures so far}, or {-1, 0} when the task must not run: it finished already
     * (a redelivery after its outcome was stored) or was cancelled (then it is made REVOKED here). KEYS: task,
     * gone. ARGV: job, queue, tenant, created, now (ms), result ttl (ms), gone ttl (ms).
     */
    static final LuaScript START = new LuaScript("start", """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state == 'SUCCESS' or state == 'FAILURE' or state == 'REVOKED' then
              return {-1, 0}
            end
            if not state then
              redis.call('HSET', KEYS[1], 'job', ARGV[1], 'queue', ARGV[2], 'tenant', ARGV[3], 'created', ARGV[4],
                  'failures', 0)
            end
            if redis.call('HGET', KEYS[1], 'cancel') == '1' then
              redis.call('HSET', KEYS[1], 'state', 'REVOKED', 'finished', ARGV[5])
              redis.call('PEXPIRE', KEYS[1], ARGV[6])
              redis.call('SET', KEYS[2], redis.call('HGET', KEYS[1], 'tenant') or '', 'PX', ARGV[7])
              return {-1, 0}
            end
            local attempt = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
            redis.call('HSET', KEYS[1], 'state', 'STARTED', 'started', ARGV[5])
            redis.call('HDEL', KEYS[1], 'retry_at')
            return {attempt, tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')}
            """);

    /**
     * Records how an attempt ended, fenced by attempt: a worker whose task was handed to another (its attempt is no
     * longer the latest), or whose task is no longer STARTED, changes nothing. Repeating the very same call (a retry
     * after a lost reply) answers what the first one did. A failing attempt of a task that was
     * cancelled meanwhile ends REVOKED. Finished records get the result's time-to-live and the longer-lived gone
     * marker. Returns 0 fenced, 1 SUCCESS, 2 RETRY, 3 FAILURE, 4 REVOKED.
     *
     * <p>ARGV, shared by every script built on it: 1 attempt, 2 outcome (SUCCESS, RETRY, FAILURE), 3 now (ms),
     * 4 result, 5 error type, 6 error message, 7 result ttl (ms), 8 gone ttl (ms), 9 retry at (ms), 10 message,
     * 11 dead-letter entry, 12 most dead letters, 13 task id, 14 code (broker-only settle).
     */
    private static final String RECORD = """
            local function record(task, gone)
              if redis.call('HGET', task, 'attempts') ~= ARGV[1] then
                return 0
              end
              local state = redis.call('HGET', task, 'state')
              if state ~= 'STARTED' then
                -- The same call again, after its reply was lost: answer as the first one did, so the message is
                -- settled the same way. Any other state means someone else moved the task on.
                if state == 'RETRY' and ARGV[2] == 'RETRY' and redis.call('HGET', task, 'retry_at') == ARGV[9] then
                  return 2
                end
                if state == ARGV[2] and redis.call('HGET', task, 'finished') == ARGV[3] then
                  return state == 'SUCCESS' and 1 or 3
                end
                if state == 'REVOKED' and ARGV[2] ~= 'SUCCESS' and redis.call('HGET', task, 'finished') == ARGV[3] then
                  return 4
                end
                return 0
              end
              local outcome = ARGV[2]
              if outcome ~= 'SUCCESS' and redis.call('HGET', task, 'cancel') == '1' then
                outcome = 'REVOKED'
              end
              if outcome == 'RETRY' then
                redis.call('HSET', task, 'state', 'RETRY', 'retry_at', ARGV[9], 'error_type', ARGV[5],
                    'error_message', ARGV[6])
                redis.call('HINCRBY', task, 'failures', 1)
                return 2
              end
              if outcome == 'SUCCESS' then
                redis.call('HSET', task, 'state', 'SUCCESS', 'finished', ARGV[3], 'result', ARGV[4])
              else
                redis.call('HSET', task, 'state', outcome, 'finished', ARGV[3], 'error_type', ARGV[5],
                    'error_message', ARGV[6])
              end
              if outcome == 'FAILURE' then
                redis.call('HINCRBY', task, 'failures', 1)
              end
              redis.call('PEXPIRE', task, ARGV[7])
              redis.call('SET', gone, redis.call('HGET', task, 'tenant') or '', 'PX', ARGV[8])
              if outcome == 'SUCCESS' then
                return 1
              elseif outcome == 'FAILURE' then
                return 3
              end
              return 4
            end
            """;

    /**
     * Settles the message in the broker after its outcome was recorded: a retry goes to the delayed set (if this
     * worker still holds the message), a final failure to the dead letters (the oldest beyond the limit are
     * dropped), and the message leaves the active list. The removal comes last, so an error on the way leaves the
     * message held rather than lost.
     */
    private static final String SETTLE = """
            local function settle(code, active, delayed, dead, entries)
              if code == 2 then
                -- Parked only while this worker still holds it: a repeat after a lost reply may come when the first
                -- call parked it already and it was promoted since; parking it again would deliver it twice.
                if redis.call('LPOS', active, ARGV[10]) then
                  redis.call('ZADD', delayed, ARGV[9], ARGV[10])
                end
              elseif code == 3 then
                redis.call('HSET', entries, ARGV[13], ARGV[11])
                redis.call('ZADD', dead, ARGV[3], ARGV[13])
                local excess = redis.call('ZCARD', dead) - tonumber(ARGV[12])
                if excess > 0 then
                  local oldest = redis.call('ZRANGE', dead, 0, excess - 1)
                  redis.call('ZREMRANGEBYRANK', dead, 0, excess - 1)
                  redis.call('HDEL', entries, unpack(oldest))
                end
              end
              redis.call('LREM', active, 1, ARGV[10])
            end
            """;

    /** Records the outcome in a result backend apart from the broker. KEYS: task, gone. */
    static final LuaScript RECORD_OUTCOME = new LuaScript("record-outcome", RECORD + """
            return record(KEYS[1], KEYS[2])
            """);

    /** Settles the message once its outcome is recorded elsewhere. KEYS: active, delayed, dead, dead entries. */
    static final LuaScript SETTLE_MESSAGE = new LuaScript("settle", SETTLE + """
            settle(tonumber(ARGV[14]), KEYS[1], KEYS[2], KEYS[3], KEYS[4])
            return 1
            """);

    /**
     * Both steps in one script, when broker and result backend are one database. A fenced outcome only
     * acknowledges. KEYS: task, gone, active, delayed, dead, dead entries.
     */
    static final LuaScript RECORD_AND_SETTLE = new LuaScript("record-and-settle", RECORD + SETTLE + """
            local code = record(KEYS[1], KEYS[2])
            settle(code, KEYS[3], KEYS[4], KEYS[5], KEYS[6])
            return code
            """);

    /** Publishes a running attempt's progress. KEYS: task. ARGV: attempt, progress (JSON). Returns 1 if stored. */
    static final LuaScript PROGRESS = new LuaScript("progress", """
            local current = redis.call('HGET', KEYS[1], 'attempts')
            if current ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'STARTED' then
              return 0
            end
            redis.call('HSET', KEYS[1], 'progress', ARGV[2])
            return 1
            """);

    /**
     * Moves due messages from the delayed set to the taking end of the queue; atomic, so any number of workers
     * can promote at once without running a task twice. KEYS: delayed, pending. ARGV: most to move. Returns how
     * many moved.
     */
    static final LuaScript PROMOTE = new LuaScript("promote", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
            for _, message in ipairs(due) do
              redis.call('ZREM', KEYS[1], message)
              redis.call('RPUSH', KEYS[2], message)
            end
            return #due
            """);

    /**
     * Announces that a worker is alive until now + visibility timeout (Redis time). KEYS: workers. ARGV: worker
     * id, visibility timeout (ms).
     */
    static final LuaScript HEARTBEAT = new LuaScript("heartbeat", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            return now
            """);

    /**
     * Puts every task held by a worker whose heartbeat ran out back at the taking end of the queue. Atomic, so two
     * sweepers racing over one dead worker move each task once. A dead worker is forgotten only long after its
     * death, so that one that was merely paused and comes back is still swept if it then dies. KEYS: workers,
     * pending. ARGV: active-list prefix, forget-after (ms). Returns how many tasks went back.
     */
    static final LuaScript RECOVER = new LuaScript("recover", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
            local moved = 0
            for i = 1, #dead, 2 do
              local active = ARGV[1] .. dead[i]
              while redis.call('LMOVE', active, KEYS[2], 'LEFT', 'RIGHT') do
                moved = moved + 1
              end
              if now - tonumber(dead[i + 1]) > tonumber(ARGV[2]) then
                redis.call('ZREM', KEYS[1], dead[i])
              end
            end
            return moved
            """);

    /**
     * Puts one orphaned message of a live worker's active list back at the taking end of its queue, if it is still
     * there. KEYS: active list, pending. ARGV: message. Returns 1 if it went back.
     */
    static final LuaScript RECLAIM = new LuaScript("reclaim-orphan", """
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then
              redis.call('RPUSH', KEYS[2], ARGV[1])
              return 1
            end
            return 0
            """);

    /**
     * On shutdown: everything still in this worker's active list goes back to the queue, and the worker leaves the
     * registry. KEYS: active list, pending, workers. ARGV: worker id. Returns how many tasks went back.
     */
    static final LuaScript REQUEUE_OWN = new LuaScript("requeue-own", """
            local moved = 0
            while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do
              moved = moved + 1
            end
            redis.call('ZREM', KEYS[3], ARGV[1])
            return moved
            """);

}
