package io.aurum.offload.client;

/** An idempotency key was used again, within its window, for a different job or payload. */
public class IdempotencyConflictException extends RuntimeException {

    private final String existingTaskId;

    public IdempotencyConflictException(String existingTaskId) {
        super("This Idempotency-Key was already used for a different job or payload");
        this.existingTaskId = existingTaskId;
    }

    /** The task the key belongs to; not to be shown to other tenants (keys are per tenant anyway). */
    public String existingTaskId() {
        return existingTaskId;
    }
}
