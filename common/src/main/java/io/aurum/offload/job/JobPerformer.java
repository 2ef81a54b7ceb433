package io.aurum.offload.job;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.task.TaskError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Runs one job and turns whatever happens into an {@link Outcome}. This is the single catch at the boundary
 * between our code and a job's: nothing a job does escapes it, so a bad job never stops a worker.
 */
@ApplicationScoped
public class JobPerformer {

    private final JobRegistry registry;

    @Inject
    public JobPerformer(JobRegistry registry) {
        this.registry = registry;
    }

    public Outcome perform(ObjectNode payload, JobContext context) {
        Job job = registry.find(context.job()).orElse(null);
        if (job == null) {
            return new Outcome.Failure(TaskError.unknownJob(context.job()));
        }
        try {
            ObjectNode result = job.run(payload, context);
            return result == null
                    ? new Outcome.Failure(new TaskError("InvalidResult", "the job returned null, not a JSON object"))
                    : new Outcome.Success(result);
        } catch (Exception | LinkageError | StackOverflowError e) {
            // A job's own failure: recorded as the task's outcome, the worker carries on.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Outcome.Failure(TaskError.of(e), e);
        }
    }
}
