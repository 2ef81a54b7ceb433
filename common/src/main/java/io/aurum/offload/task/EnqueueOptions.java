package io.aurum.offload.task;

import java.time.Instant;

/**
 * Who enqueues, where to, when, and under which idempotency key.
 *
 * @param tenant         the owner; only the same tenant can read or cancel the task. Empty for trusted in-process
 *                       callers.
 * @param queue          the queue, or null for the default queue
 * @param notBefore      the earliest time the task may start, or null for now
 * @param idempotencyKey a caller's key: a repeat with the same key (and payload) from the same tenant within the
 *                       idempotency window returns the first task's id and enqueues nothing; null for none
 */
public record EnqueueOptions(String tenant, String queue, Instant notBefore, String idempotencyKey) {

    public static final EnqueueOptions NONE = new EnqueueOptions("", null, null, null);

    public EnqueueOptions {
        tenant = tenant == null ? "" : tenant;
    }

    public static EnqueueOptions forTenant(String tenant) {
        return new EnqueueOptions(tenant, null, null, null);
    }

    public EnqueueOptions onQueue(String queueName) {
        return new EnqueueOptions(tenant, queueName, notBefore, idempotencyKey);
    }

    public EnqueueOptions notBefore(Instant earliest) {
        return new EnqueueOptions(tenant, queue, earliest, idempotencyKey);
    }

    public EnqueueOptions withIdempotencyKey(String key) {
        return new EnqueueOptions(tenant, queue, notBefore, key);
    }
}
