package io.aurum.offload.client;

import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskLookup;
import io.smallrye.mutiny.Uni;

/**
 * Hands jobs to the background and reads their outcome. Inject it; the settings pick the backend (the stub or
 * Redis, see {@link io.aurum.offload.config.OffloadSettings#enabled()}).
 *
 * <p>Calls never block: they return a {@link Uni}, safe to return from an event-loop handler. A call that cannot
 * reach Redis fails with {@link BackendUnavailableException}.
 */
public interface OffloadClient {

    /**
     * Enqueues {@code job} with no tenant on the default queue; see
     * {@link #runJobAsync(String, ObjectNode, EnqueueOptions)}.
     */
    default Uni<String> runJobAsync(String job, ObjectNode payload) {
        return runJobAsync(job, payload, EnqueueOptions.NONE);
    }

    /**
     * Enqueues a task and returns its id as soon as the task is safely recorded.
     *
     * @throws UnknownJobException (as the Uni's failure) when no job of that name is registered
     * @throws IdempotencyConflictException (as the Uni's failure) when the idempotency key was used for another
     *         job or payload
     */
    Uni<String> runJobAsync(String job, ObjectNode payload, EnqueueOptions options);

    /** Reads any task's status, whoever owns it: for trusted in-process callers only. */
    default Uni<TaskLookup> fetchJobResult(String taskId) {
        return fetchJobResult(taskId, null);
    }

    /**
     * Reads a task's status as {@code tenant} may see it: another tenant's task is {@link TaskLookup.Unknown}.
     *
     * @param tenant the caller, or null for no tenant check
     */
    default Uni<TaskLookup> fetchJobResult(String taskId, String tenant) {
        return fetchJobResult(taskId, tenant, Duration.ZERO);
    }

    /**
     * Reads a task's status as {@code tenant} may see it, waiting up to {@code wait} for the task to finish: the
     * answer comes as soon as the task is SUCCESS, FAILURE or REVOKED, at once when it is unknown to the caller or
     * expired, and otherwise when {@code wait} runs out, with the task's state at that moment. Nothing blocks
     * while it waits. When {@code aurum.api.offload.api.max-waiting} reads wait already, it answers at once.
     *
     * @param tenant the caller, or null for no tenant check
     * @param wait   longest wait; zero (or negative) reads at once
     */
    Uni<TaskLookup> fetchJobResult(String taskId, String tenant, Duration wait);

    /**
     * For a stopping service: every status read waiting for its task answers now with the task's state, and every
     * later read answers at once, so that in-flight requests end before the HTTP server closes.
     */
    void endWaits();

    /**
     * Cancels a task as {@code tenant}: a task that has not started is REVOKED at once and never runs; a running
     * one is asked to stop (its job is interrupted) and ends REVOKED if it does.
     *
     * @param tenant the caller, or null for no tenant check
     */
    Uni<CancelOutcome> cancel(String taskId, String tenant);

    /** A short name of the backend in use, for logs: {@code stub}, {@code stub-eager} or {@code redis}. */
    String backendName();
}
