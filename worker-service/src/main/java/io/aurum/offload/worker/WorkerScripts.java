package io.aurum.offload.worker;

import io.aurum.offload.redis.LuaScript;

/**
 * The worker's atomic steps. Broker scripts touch the keys of queues, result scripts the keys of tasks;
 * {@link #FINISH_MANY} alone spans both and is used only when they are one database. Times that decide liveness come
 * from Redis's own clock, so workers with skewed clocks agree on who is dead.
 *
 * <p>The outcome of an attempt travels as 13 values, read by the Lua functions below from a table {@code a}: 1
 * attempt, 2 outcome (SUCCESS, RETRY, FAILURE), 3 now (ms), 4 result, 5 error type, 6 error message, 7 result ttl
 * (ms), 8 gone ttl (ms), 9 retry at (ms), 10 the message as queued, 11 dead-letter entry, 12 most dead letters,
 * 13 task id. Scripts that settle many outcomes take them back to back in ARGV.
 */
final class WorkerScripts {

    /** How many ARGV values one outcome takes. */
    static final int OUTCOME_VALUES = 13;

    private WorkerScripts() {
    }

    /**
     * Publishes a task's id and its final record (the record's fields and values as a JSON array) on the done
     * channel when an api request is waiting on it ({@code watch}, the record's field of that name as the caller
     * read it), so the waiting request can answer without reading the record again; called by every script that
     * makes a task final.
     */
    private static final String NOTIFY = """
            local function notify(watch, task, id, channel)
              if watch == '1' then
                redis.call('PUBLISH', channel, id .. ' ' .. cjson.encode(redis.call('HGETALL', task)))
              end
            end
            """;

    /** The outcome at position {@code i} (from 0) of the outcomes that start at ARGV[first]. */
    private static final String OUTCOME = """
            local function outcome(first, i)
              local from = first + 13 * i
              return {unpack(ARGV, from, from + 12)}
            end
            """;

    /**
     * Marks a task STARTED and counts the attempt, writing the record from the message if the api's write has not
     * landed yet. Returns attempt, failures so far and since when the task could run (ms: its retry time, its
     * not_before, or its creation), for the queue-wait metric; attempt -1 when the task must not run as it finished
     * already (a redelivery after its outcome was stored), -3 when it was cancelled (it is made REVOKED here).
     */
    private static final String START_TASK = """
            local function start_task(task, id, job, queue, tenant, created, now, ttl, gone_ttl, channel)
              local f = redis.call('HMGET', task, 'state', 'cancel', 'failures', 'retry_at', 'attempts', 'watch',
                  'not_before')
              local state = f[1]
              if state == 'SUCCESS' or state == 'FAILURE' or state == 'REVOKED' then
                return -1, 0, 0
              end
              if not state then
                redis.call('HSET', task, 'job', job, 'queue', queue, 'tenant', tenant, 'created', created,
                    'failures', 0)
              end
              if f[2] == '1' then
                redis.call('HSET', task, 'state', 'REVOKED', 'finished', now)
                redis.call('PEXPIRE', task, ttl)
                redis.call('SET', task .. ':gone', redis.call('HGET', task, 'tenant') or '', 'PX', gone_ttl)
                notify(f[6], task, id, channel)
                return -3, 0, 0
              end
              local attempt = tonumber(f[5] or '0') + 1
              redis.call('HSET', task, 'state', 'STARTED', 'started', now, 'attempts', attempt)
              if f[4] then
                redis.call('HDEL', task, 'retry_at')
              end
              return attempt, tonumber(f[3] or '0'), tonumber(f[4] or f[7] or created)
            end
            """;

    /**
     * Starts tasks taken by a blocking move, or taken by a broker apart from the result backend. Returns {attempt,
     * failures so far, ready since} per task, as {@link #START_TASK} answers. KEYS: the task records. ARGV: done
     * channel, now (ms), result ttl (ms), gone ttl (ms), then per task: id, job, queue, tenant, created.
     */
    static final LuaScript START_MANY = new LuaScript("start-many", NOTIFY + START_TASK + """
            local reply = {}
            for i = 1, #KEYS do
              local from = 5 + 5 * (i - 1)
              local attempt, failures, ready = start_task(KEYS[i], ARGV[from], ARGV[from + 1], ARGV[from + 2],
                  ARGV[from + 3], ARGV[from + 4], ARGV[2], ARGV[3], ARGV[4], ARGV[1])
              reply[i] = {attempt, failures, ready}
            end
            return reply
            """);

    /**
     * Records how an attempt ended, fenced by attempt: a worker whose task was handed to another (its attempt is no
     * longer the latest), or whose task is no longer STARTED, changes nothing. Repeating the very same call (a retry
     * after a lost reply) answers what the first one did. A failing attempt of a task that was
     * cancelled meanwhile ends REVOKED. Finished records get the result's time-to-live and the longer-lived gone
     * marker. Returns 0 fenced, 1 SUCCESS, 2 RETRY, 3 FAILURE, 4 REVOKED.
     */
    private static final String RECORD = """
            local function record(task, gone, a, channel)
              local f = redis.call('HMGET', task, 'attempts', 'state', 'retry_at', 'finished', 'cancel', 'tenant',
                  'watch')
              if f[1] ~= a[1] then
                return 0
              end
              local state = f[2]
              if state ~= 'STARTED' then
                -- The same call again, after its reply was lost: answer as the first one did, so the message is
                -- settled the same way. Any other state means someone else moved the task on.
                if state == 'RETRY' and a[2] == 'RETRY' and f[3] == a[9] then
                  return 2
                end
                if state == a[2] and f[4] == a[3] then
                  return state == 'SUCCESS' and 1 or 3
                end
                if state == 'REVOKED' and a[2] ~= 'SUCCESS' and f[4] == a[3] then
                  return 4
                end
                return 0
              end
              local outcome = a[2]
              if outcome ~= 'SUCCESS' and f[5] == '1' then
                outcome = 'REVOKED'
              end
              if outcome == 'RETRY' then
                redis.call('HSET', task, 'state', 'RETRY', 'retry_at', a[9], 'error_type', a[5],
                    'error_message', a[6])
                redis.call('HINCRBY', task, 'failures', 1)
                return 2
              end
              if outcome == 'SUCCESS' then
                redis.call('HSET', task, 'state', 'SUCCESS', 'finished', a[3], 'result', a[4])
              else
                redis.call('HSET', task, 'state', outcome, 'finished', a[3], 'error_type', a[5],
                    'error_message', a[6])
              end
              if outcome == 'FAILURE' then
                redis.call('HINCRBY', task, 'failures', 1)
              end
              redis.call('PEXPIRE', task, a[7])
              redis.call('SET', gone, f[6] or '', 'PX', a[8])
              notify(f[7], task, a[13], channel)
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
            local function settle(code, active, delayed, dead, entries, a)
              if code == 2 then
                -- Parked only while this worker still holds it: a repeat after a lost reply may come when the first
                -- call parked it already and it was promoted since; parking it again would deliver it twice.
                if redis.call('LPOS', active, a[10]) then
                  redis.call('ZADD', delayed, a[9], a[10])
                end
              elseif code == 3 then
                redis.call('HSET', entries, a[13], a[11])
                redis.call('ZADD', dead, a[3], a[13])
                local excess = redis.call('ZCARD', dead) - tonumber(a[12])
                if excess > 0 then
                  local oldest = redis.call('ZRANGE', dead, 0, excess - 1)
                  redis.call('ZREMRANGEBYRANK', dead, 0, excess - 1)
                  redis.call('HDEL', entries, unpack(oldest))
                end
              end
              redis.call('LREM', active, 1, a[10])
            end
            """;

    /**
     * Takes the next message from the first non-empty queue into its active list. KEYS from {@code first} on:
     * pairs of pending list and this worker's active list, in priority order. Returns the message and the index of
     * its queue (from 0), or nil.
     */
    private static final String TAKE = """
            local function take(first)
              for i = first, #KEYS, 2 do
                local message = redis.call('LMOVE', KEYS[i], KEYS[i + 1], 'RIGHT', 'LEFT')
                if message then
                  return message, (i - first) / 2
                end
              end
              return nil, -1
            end
            """;

    /**
     * {@link #TAKE}, then {@link #START_TASK} on the message taken, so a busy worker takes and starts its next
     * tasks in the round trip that settles the last ones. Returns nil when every queue is empty, otherwise {message,
     * queue index, attempt, failures, ready since} as {@link #START_TASK} answers; attempt -2 means that the message
     * is not one this script can read (the worker reads it, and starts it apart or dead-letters it).
     *
     * <p>The fields it needs lead every message in a fixed order, with values from restricted alphabets (see
     * {@code TaskMessage}, {@code TaskIds}, {@code JobNames}), so an anchored pattern reads them without decoding
     * the payload that follows: Redis runs scripts one at a time, and decoding a large payload here would hold up
     * every other client. A message of another shape is decoded whole.
     *
     * <p>Known limitation: the task's key is built here from the id in the message, which Redis Cluster does not
     * allow (keys must be declared); with broker and results in one database this script therefore ties the worker
     * to a standalone Redis, as the recovery sweep does.
     */
    private static final String TAKE_AND_START = """
            local LEADING_FIELDS = '^{"id":"([%w_%-]+)","job":"([%w_%.%-]+)","queue":"([%w_%.%-]+)",'
                .. '"tenant":"([%w_%.%-]*)","created":(%d+)[,}]'
            local function take_and_start(first, prefix, now, ttl, gone_ttl, channel)
              local message, queue = take(first)
              if not message then
                return nil
              end
              local id, job, queue_name, tenant, created = string.match(message, LEADING_FIELDS)
              if not id then
                local ok, m = pcall(cjson.decode, message)
                if not ok or type(m) ~= 'table' or type(m.id) ~= 'string' or type(m.job) ~= 'string'
                    or type(m.queue) ~= 'string' or type(m.created) ~= 'number' then
                  return {message, queue, -2, 0}
                end
                id, job, queue_name = m.id, m.job, m.queue
                tenant = type(m.tenant) == 'string' and m.tenant or ''
                created = string.format('%d', m.created)
              end
              local attempt, failures, ready = start_task(prefix .. id .. '}', id, job, queue_name, tenant, created,
                  now, ttl, gone_ttl, channel)
              return {message, queue, attempt, failures, ready}
            end
            """;

    /**
     * Records outcomes in a result backend apart from the broker. KEYS: task and gone key per outcome. ARGV: done
     * channel, then the outcomes. Returns the code of each.
     */
    static final LuaScript RECORD_MANY = new LuaScript("record-many", NOTIFY + OUTCOME + RECORD + """
            local reply = {}
            for i = 0, #KEYS / 2 - 1 do
              reply[i + 1] = record(KEYS[2 * i + 1], KEYS[2 * i + 2], outcome(2, i), ARGV[1])
            end
            return reply
            """);

    /**
     * Settles messages whose outcomes are recorded elsewhere, then takes up to the given number of next messages
     * (their starts are recorded apart, in the result backend). KEYS: active, delayed, dead and dead entries per
     * outcome, then the pending and active list of each queue. ARGV: number of outcomes, most to take, then the
     * outcomes, then their codes. Returns {message, queue index} per message taken.
     */
    static final LuaScript SETTLE_AND_TAKE_MANY = new LuaScript("settle-and-take-many", OUTCOME + SETTLE + TAKE + """
            local n = tonumber(ARGV[1])
            for i = 0, n - 1 do
              settle(tonumber(ARGV[3 + 13 * n + i]), KEYS[4 * i + 1], KEYS[4 * i + 2], KEYS[4 * i + 3],
                  KEYS[4 * i + 4], outcome(3, i))
            end
            local taken = {}
            for j = 1, tonumber(ARGV[2]) do
              local message, queue = take(4 * n + 1)
              if not message then
                break
              end
              taken[j] = {message, queue}
            end
            return taken
            """);

    /**
     * Everything a busy worker does between tasks, in one round trip, when broker and result backend are one
     * database: record each outcome, settle its message (a fenced outcome only acknowledges), then take and start up
     * to the given number of next tasks. KEYS: task, gone, active, delayed, dead and dead entries per outcome, then
     * the pending and active list of each queue. ARGV: number of outcomes, most to take, done channel, task key
     * prefix, now (ms), result ttl (ms), gone ttl (ms), then the outcomes. Returns {codes, taken}, each taken as
     * {@link #TAKE_AND_START} returns it.
     */
    static final LuaScript FINISH_MANY = new LuaScript("finish-many", NOTIFY + OUTCOME + START_TASK + RECORD + SETTLE
            + TAKE + TAKE_AND_START + """
            local n = tonumber(ARGV[1])
            local codes = {}
            for i = 0, n - 1 do
              local a = outcome(8, i)
              local k = 6 * i
              codes[i + 1] = record(KEYS[k + 1], KEYS[k + 2], a, ARGV[3])
              settle(codes[i + 1], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], a)
            end
            local taken = {}
            for j = 1, tonumber(ARGV[2]) do
              local task = take_and_start(6 * n + 1, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[3])
              if not task then
                break
              end
              taken[j] = task
            end
            return {codes, taken}
            """);

    /**
     * Settles one message whose outcome is known, taking nothing: an unreadable message parked in the dead letters.
     * KEYS: active, delayed, dead, dead entries. ARGV: the outcome, then its code.
     */
    static final LuaScript SETTLE_MESSAGE = new LuaScript("settle", SETTLE + """
            settle(tonumber(ARGV[14]), KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV)
            return 1
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
     * Announces that a worker is alive until now + visibility timeout (Redis time), and that its queue is consumed
     * (the registry the admin endpoints list queues from). KEYS: workers, queue registry. ARGV: worker id,
     * visibility timeout (ms), queue.
     *
     * <p>Known limitation: the registry is one key for all queues, outside the queue's Cluster slot.
     */
    static final LuaScript HEARTBEAT = new LuaScript("heartbeat", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            redis.call('ZADD', KEYS[2], now, ARGV[3])
            return now
            """);

    /**
     * Puts every task held by a worker whose heartbeat ran out back at the taking end of the queue. Atomic, so two
     * sweepers racing over one dead worker move each task once. A dead worker is forgotten only long after its
     * death, so that one that was merely paused and comes back is still swept if it then dies. KEYS: workers,
     * pending. ARGV: active-list prefix, forget-after (ms). Returns the messages that went back, for the log.
     */
    static final LuaScript RECOVER = new LuaScript("recover", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
            local moved = {}
            for i = 1, #dead, 2 do
              local active = ARGV[1] .. dead[i]
              local message = redis.call('LMOVE', active, KEYS[2], 'LEFT', 'RIGHT')
              while message do
                moved[#moved + 1] = message
                message = redis.call('LMOVE', active, KEYS[2], 'LEFT', 'RIGHT')
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
     * registry. KEYS: active list, pending, workers. ARGV: worker id. Returns the messages that went back.
     */
    static final LuaScript REQUEUE_OWN = new LuaScript("requeue-own", """
            local moved = {}
            local message = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
            while message do
              moved[#moved + 1] = message
              message = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
            end
            redis.call('ZREM', KEYS[3], ARGV[1])
            return moved
            """);

}
