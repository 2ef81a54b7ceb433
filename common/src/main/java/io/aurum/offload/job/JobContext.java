package io.aurum.offload.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a running job may know about its task, and how it talks back: progress for the status endpoint, and
 * whether it has been asked to stop (cancelled, or past its soft time limit).
 *
 * <p>A job asked to stop also has its thread interrupted; one that blocks in interruptible calls needs no check.
 */
public final class JobContext {

    private final String taskId;
    private final String job;
    private final String tenant;
    private final long attempt;
    private final TaskControl control;

    public JobContext(String taskId, String job, String tenant, long attempt, TaskControl control) {
        this.taskId = taskId;
        this.job = job;
        this.tenant = tenant;
        this.attempt = attempt;
        this.control = control;
    }

    public JobContext(String taskId, String job, String tenant, long attempt) {
        this(taskId, job, tenant, attempt, TaskControl.NONE);
    }

    /** The task's id. */
    public String taskId() {
        return taskId;
    }

    /** The registered job name. */
    public String job() {
        return job;
    }

    /** The tenant that enqueued the task, empty when the caller gave none. */
    public String tenant() {
        return tenant;
    }

    /** Which start of the task this is, from 1; above 1 it ran before (a retry, or a worker died mid-run). */
    public long attempt() {
        return attempt;
    }

    /**
     * Publishes a small JSON value (for example {@code {"done": 40, "of": 100}}) that the task's status shows
     * while it runs. Each call is a write to Redis: report at human pace, not per item.
     */
    public void reportProgress(JsonNode progress) {
        control.reportProgress(progress);
    }

    /** True once the task was cancelled or ran past its soft time limit: clean up and return or throw. */
    public boolean stopRequested() {
        return control.stopRequested();
    }
}
