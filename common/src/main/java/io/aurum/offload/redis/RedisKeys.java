package io.aurum.offload.redis;

/**
 * The one place where Redis key names are built.
 *
 * <p>Broker keys of a queue share the hash tag {@code {q:<queue>}}; result keys of a task share {@code {t:<id>}}.
 * Every script that touches only broker keys of one queue, or only result keys of one task, therefore stays in
 * one Redis Cluster hash slot.
 *
 * <pre>
 * aurum:{q:QUEUE}:pending          list, tasks waiting (pushed left, taken right)
 * aurum:{q:QUEUE}:active:WORKER    list, tasks a worker has taken and not yet acknowledged
 * aurum:{q:QUEUE}:workers          sorted set, worker id scored by the time its heartbeat runs out (ms)
 * aurum:{q:QUEUE}:delayed          sorted set, messages scored by when they may run (retries, not_before)
 * aurum:{q:QUEUE}:dead             sorted set, dead-letter task ids scored by when they failed (ms)
 * aurum:{q:QUEUE}:dead:entries     hash, task id to dead-letter entry (JSON: last error and the message)
 * aurum:{q:QUEUE}:recent           sorted set in the result backend, ids of the latest tasks enqueued on the queue,
 *                                  scored by when they were accepted (ms); capped at recent-tasks-max
 * aurum:queues                     sorted set on the broker, queue names scored by the last heartbeat of a worker
 *                                  consuming them (ms); how the admin endpoints find queues nobody configured
 * aurum:{q:QUEUE}:beat:NAME:SLOT  string, the task id enqueued by schedule NAME for its slot (epoch ms); the
 *                                  claim that makes a periodic job fire once per slot across replicas
 * aurum:{t:ID}                     hash, the task record: state, job, tenant, times, result or error; field
 *                                  watch=1 while a status read waits for the task to finish
 * aurum:{t:ID}:gone                string, the owner's tenant; outlives the record to answer 410 Gone
 * aurum:{i:TENANT:KEYHASH}         string, "taskId:payloadHash" of an idempotency key, for its window
 * aurum:task-done                  pub/sub channel (not a key): ids of watched tasks as they finish
 * </pre>
 */
public final class RedisKeys {

    private static final String ROOT = "aurum:";

    private RedisKeys() {
    }

    public static String pending(String queue) {
        return queueTag(queue) + ":pending";
    }

    public static String active(String queue, String workerId) {
        return activePrefix(queue) + workerId;
    }

    /** Prefix of every active list of a queue; scripts append a worker id to it. */
    public static String activePrefix(String queue) {
        return queueTag(queue) + ":active:";
    }

    public static String workers(String queue) {
        return queueTag(queue) + ":workers";
    }

    public static String delayed(String queue) {
        return queueTag(queue) + ":delayed";
    }

    public static String dead(String queue) {
        return queueTag(queue) + ":dead";
    }

    public static String deadEntries(String queue) {
        return dead(queue) + ":entries";
    }

    /**
     * The latest tasks enqueued on a queue, in the result backend beside their records: written by the enqueue
     * scripts, read by the admin endpoints.
     */
    public static String recent(String queue) {
        return queueTag(queue) + ":recent";
    }

    /** The queues workers consume, by their last heartbeat; on the broker. */
    public static String queues() {
        return ROOT + "queues";
    }

    /**
     * The claim of one slot of a periodic job's schedule, in the slot of the queue its task goes to, so that claiming
     * and queueing are one script.
     */
    public static String beatSlot(String queue, String schedule, long slotMs) {
        return queueTag(queue) + ":beat:" + schedule + ":" + slotMs;
    }

    /** The idempotency key of a tenant; {@code keyHash} is a digest of the caller's key, so any key fits. */
    public static String idempotency(String tenant, String keyHash) {
        return ROOT + "{i:" + tenant + ":" + keyHash + "}";
    }

    public static String task(String taskId) {
        return taskKeyPrefix() + taskId + "}";
    }

    /** What comes before the id in a task record's key; scripts that read an id from a message build the key. */
    public static String taskKeyPrefix() {
        return ROOT + "{t:";
    }

    public static String gone(String taskId) {
        return task(taskId) + ":gone";
    }

    /**
     * The channel on which the script that makes a task final (SUCCESS, FAILURE or REVOKED) publishes the task's
     * id, when the record's field {@code watch} is {@code 1}: a status read is waiting for it. Channels are global
     * to a Redis server, not per database, and are not keys, so scripts take the name as an argument.
     */
    public static String taskDoneChannel() {
        return ROOT + "task-done";
    }

    private static String queueTag(String queue) {
        return ROOT + "{q:" + queue + "}";
    }
}
