package io.aurum.offload.task;

/** What a cancellation did. */
public sealed interface CancelOutcome {

    /** The task had not started: it is REVOKED and will never run. */
    record Revoked(TaskStatus status) implements CancelOutcome {
    }

    /** The task is running: its worker was asked to stop it; it ends REVOKED if it stops. */
    record Requested(TaskStatus status) implements CancelOutcome {
    }

    /** The task had already finished; nothing changed. */
    record AlreadyFinished(TaskStatus status) implements CancelOutcome {
    }

    /** No such task for this caller. */
    record Unknown(String taskId) implements CancelOutcome {
    }
}
