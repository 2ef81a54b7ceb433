package io.aurum.offload.job;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A unit of work that a worker runs: takes a JSON object, returns a JSON object.
 *
 * <p>Register one with {@link JobRegistry#registerJob(String, Job)}, or declare it as a CDI bean with
 * {@code @jakarta.inject.Named("job_name")}. A job runs at least once per task: a worker that dies mid-run has its
 * tasks run again elsewhere, so a job should be safe to repeat.
 */
@FunctionalInterface
public interface Job {

    /**
     * Runs the job. An exception ends the task in FAILURE with the exception's type and message.
     *
     * @param payload the JSON object given at enqueue, never null
     * @param context the task being run
     * @return the result, a JSON object; null counts as a failure
     */
    ObjectNode run(ObjectNode payload, JobContext context) throws Exception;

    /** How this job is retried and time-limited; {@link JobOptions#DEFAULT} unless overridden. */
    default JobOptions options() {
        return JobOptions.DEFAULT;
    }
}
