package io.aurum.offload.api;

import java.net.URI;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Turns enqueue and status results into HTTP answers, the same for every path that shows a task. */
@ApplicationScoped
public class TaskAnswers {

    private final OffloadSettings settings;

    @Inject
    public TaskAnswers(OffloadSettings settings) {
        this.settings = settings;
    }

    /**
     * 202 with the task id, its status URL in the body and in {@code Location}. Task ids are URL-safe, so the URL is
     * the base URI and the path joined, without a URI builder's template work on every enqueue.
     */
    Response accepted(String taskId, UriInfo uri) {
        URI status = uri.getBaseUri().resolve("v1/tasks/" + taskId);
        return Response.accepted(new Accepted(taskId, "/v1/tasks/" + taskId)).location(status).build();
    }

    /**
     * 202 with {@code Retry-After} while the task is not finished, 200 once it is, 404 for an id unknown to this
     * tenant, 410 for the tenant's own task whose result expired.
     */
    Response status(TaskLookup lookup, String path) {
        return switch (lookup) {
            case TaskLookup.Found found -> found(found.status());
            case TaskLookup.Expired expired -> ProblemMappers.answer(Problem.of(410, "task-expired", "Task expired",
                    "This task finished and its result expired; results are kept for " + settings.resultTtl()
                            + ".", path));
            case TaskLookup.Unknown unknown -> notFound(path);
        };
    }

    /**
     * 200 with the REVOKED task when it had not started; 202 with {@code Retry-After} and the still running task
     * when its worker was asked to stop it; 409 when it had finished already; 404 exactly as {@link #status} for
     * an id unknown to this tenant.
     */
    Response cancelled(CancelOutcome outcome, String path) {
        return switch (outcome) {
            case CancelOutcome.Revoked revoked -> Response.ok(revoked.status()).build();
            case CancelOutcome.Requested requested -> Response.accepted(requested.status())
                    .header("Retry-After", ProblemMappers.retryAfterSeconds(settings)).build();
            case CancelOutcome.AlreadyFinished finished -> ProblemMappers.answer(Problem.of(409,
                    "task-already-finished", "Task already finished", "The task already finished as "
                            + finished.status().state() + "; there is nothing left to cancel.", path));
            case CancelOutcome.Unknown unknown -> notFound(path);
        };
    }

    /** Refuses a task id that cannot be one of ours. */
    static void requireWellFormed(String taskId) {
        if (!TaskIds.isWellFormed(taskId)) {
            throw ProblemException.badRequest("invalid-task-id",
                    "A task id is 8 to 64 letters, digits, '_' or '-', as returned by the enqueue call.");
        }
    }

    private Response found(TaskStatus status) {
        if (status.state().isFinished()) {
            return Response.ok(status).build();
        }
        return Response.accepted(status).header("Retry-After", ProblemMappers.retryAfterSeconds(settings)).build();
    }

    private static Response notFound(String path) {
        // The same answer whether the id never existed or belongs to another tenant.
        return ProblemMappers.answer(Problem.of(404, "task-not-found", "Task not found",
                "No task with this id exists for your tenant.", path));
    }
}
