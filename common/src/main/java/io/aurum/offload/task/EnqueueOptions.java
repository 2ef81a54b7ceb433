package io.aurum.offload.task;

/**
 * Who enqueues and where to.
 *
 * @param tenant the owner; only the same tenant can read the task back. Empty for trusted in-process callers.
 * @param queue  the queue, or null for the default queue
 */
public record EnqueueOptions(String tenant, String queue) {

    public static final EnqueueOptions NONE = new EnqueueOptions("", null);

    public EnqueueOptions {
        tenant = tenant == null ? "" : tenant;
    }

    public static EnqueueOptions forTenant(String tenant) {
        return new EnqueueOptions(tenant, null);
    }

    public EnqueueOptions onQueue(String queueName) {
        return new EnqueueOptions(tenant, queueName);
    }
}
