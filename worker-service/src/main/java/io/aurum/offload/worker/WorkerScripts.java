package io.aurum.offload.worker;

import io.aurum.offload.redis.LuaScript;

/**
 * The worker's atomic steps. Broker scripts touch the keys of one queue, result scripts the keys of one task;
 * {@link #FINISH_AND_ACK} alone spans both and is used only when they are one database. Times that decide
 * liveness come from Redis's own clock, so workers with skewed clocks agree on who is dead.
 */
final class WorkerScripts {

    private WorkerScripts() {
    }

    /**
     * Marks a task STARTED and counts the attempt, writing the record from the message if the api's write has not
     * landed yet. Returns the attempt number, or -1 when the task already finished (a redelivery after the outcome
     * was stored: acknowledge, do not run). KEYS: task. ARGV: job, queue, tenant, created, started (ms).
     */
    static final LuaScript START = new LuaScript("start", """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state == 'SUCCESS' or state == 'FAILURE' or state == 'REVOKED' then
              return -1
            end
            if not state then
              redis.call('HSET', KEYS[1], 'job', ARGV[1], 'queue', ARGV[2], 'tenant', ARGV[3], 'created', ARGV[4])
            end
            local attempt = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
            redis.call('HSET', KEYS[1], 'state', 'STARTED', 'started', ARGV[5])
            return attempt
            """);

    /**
     * Stores an outcome, fenced by attempt: a worker whose task was handed to another (its attempt is no longer
     * the latest) or that finished already cannot overwrite it. Sets the result's time-to-live and the
     * longer-lived gone marker. KEYS: task, gone. ARGV: attempt, state, finished (ms), result, error type, error
     * message, result ttl (ms), gone ttl (ms).
     */
    private static final String FINISH_BODY = """
            local function finish()
              local state = redis.call('HGET', KEYS[1], 'state')
              if redis.call('HGET', KEYS[1], 'attempts') ~= ARGV[1]
                  or state == 'SUCCESS' or state == 'FAILURE' or state == 'REVOKED' then
                return 0
              end
              if ARGV[2] == 'SUCCESS' then
                redis.call('HSET', KEYS[1], 'state', 'SUCCESS', 'finished', ARGV[3], 'result', ARGV[4])
              else
                redis.call('HSET', KEYS[1], 'state', ARGV[2], 'finished', ARGV[3],
                    'error_type', ARGV[5], 'error_message', ARGV[6])
              end
              redis.call('PEXPIRE', KEYS[1], ARGV[7])
              redis.call('SET', KEYS[2], redis.call('HGET', KEYS[1], 'tenant') or '', 'PX', ARGV[8])
              return 1
            end
            """;

    /** {@link #FINISH_BODY} alone, for a result backend apart from the broker. Returns 1 if stored, 0 if fenced. */
    static final LuaScript FINISH = new LuaScript("finish", FINISH_BODY + "return finish()\n");

    /**
     * Stores the outcome and then acknowledges the message, in one step. An error while storing aborts the script
     * before the acknowledgement, so a message is never dropped without its outcome. KEYS: task, gone, active
     * list. ARGV: as {@link #FINISH}, then the message.
     */
    static final LuaScript FINISH_AND_ACK = new LuaScript("finish-and-ack", FINISH_BODY + """
            local stored = finish()
            redis.call('LREM', KEYS[3], 1, ARGV[9])
            return stored
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

    /** Moves an unreadable message from an active list to the dead letters. KEYS: active, dead. ARGV: message. */
    static final LuaScript DEAD_LETTER = new LuaScript("dead-letter", """
            redis.call('LPUSH', KEYS[2], ARGV[1])
            redis.call('LREM', KEYS[1], 1, ARGV[1])
            return 1
            """);
}
