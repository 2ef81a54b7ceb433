package io.aurum.offload.task;

/**
 * The answer to "what became of this task id?". An id that never existed and an id of another tenant's task are
 * both {@link Unknown}: callers cannot tell them apart, by design.
 */
public sealed interface TaskLookup {

    /** The task exists and the caller may see it. */
    record Found(TaskStatus status) implements TaskLookup {
    }

    /** The caller's own task finished so long ago that its result expired. */
    record Expired(String taskId) implements TaskLookup {
    }

    /** No such task for this caller. */
    record Unknown(String taskId) implements TaskLookup {
    }
}
