package io.aurum.offload.api;

import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.aurum.offload.client.DeadLetterAdmin;
import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.client.OffloadClientProducer;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisDeadLetters;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskStatus;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The dead letters of a queue, for operators only: list, requeue, delete. They cross tenant lines, so the tenant
 * header grants nothing here; the caller must authenticate as a user with the {@value #ROLE} role (HTTP basic,
 * see {@code aurum.api.offload.api.admin-password}).
 */
@Path("/v1/admin/queues/{queue}/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(DeadLetterResource.ROLE)
@Tag(name = ApiDocs.ADMIN)
public class DeadLetterResource {

    static final String ROLE = "admin";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Pattern QUEUE = Pattern.compile(OffloadSettings.QUEUE_NAME);

    @Inject
    OffloadSettings settings;
    @Inject
    OffloadClient offload;
    @Inject
    Instance<RedisDeadLetters> redisDeadLetters;
    @Context
    UriInfo uri;

    @GET
    @Operation(operationId = "listDeadLetters", summary = "A queue's dead letters, newest first",
            description = "Tasks that failed for good, with their last error, and queued data no worker could read; "
                    + "up to limit (default 100).")
    @APIResponse(responseCode = "200", description = "The dead letters.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DeadLetterList.class),
                    examples = @ExampleObject(name = "example", value = ApiDocs.LIST_DEAD_LETTERS_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<DeadLetterList> list(@Parameter(ref = ApiDocs.QUEUE) @PathParam("queue") String queue,
            @Parameter(ref = ApiDocs.LIMIT) @QueryParam("limit") String limit) {
        requireQueue(queue);
        int most = limit(limit);

        DeadLetterAdmin admin = admin();
        return admin.list(queue, most)
                .chain(letters -> admin.count(queue).map(total -> new DeadLetterList(queue, total, letters)));
    }

    @POST
    @Path("/{task_id}/requeue")
    @Operation(operationId = "requeueDeadLetter", summary = "Run a dead letter again",
            description = "The task goes back on its queue as PENDING with its failures reset.")
    @APIResponse(responseCode = "200", description = "Requeued: the task as it stands now.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TaskStatus.class)))
    @APIResponse(responseCode = "404", ref = ApiDocs.DEAD_LETTER_NOT_FOUND)
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<Response> requeue(@Parameter(ref = ApiDocs.QUEUE) @PathParam("queue") String queue,
            @Parameter(ref = ApiDocs.TASK_ID) @PathParam("task_id") String taskId) {
        requireQueue(queue);
        TaskAnswers.requireWellFormed(taskId);

        return admin().requeue(queue, taskId).chain(requeued -> requeued
                ? offload.fetchJobResult(taskId).map(this::requeued)
                : Uni.createFrom().item(notFound(queue, " that can run again (unreadable data can only be deleted)")));
    }

    @DELETE
    @Path("/{task_id}")
    @Operation(operationId = "deleteDeadLetter", summary = "Forget a dead letter")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "404", ref = ApiDocs.DEAD_LETTER_NOT_FOUND)
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<Response> delete(@Parameter(ref = ApiDocs.QUEUE) @PathParam("queue") String queue,
            @Parameter(ref = ApiDocs.TASK_ID) @PathParam("task_id") String taskId) {
        requireQueue(queue);
        TaskAnswers.requireWellFormed(taskId);

        return admin().delete(queue, taskId)
                .map(deleted -> deleted ? Response.noContent().build() : notFound(queue, ""));
    }

    /** The Redis dead letters when Redis is the backend; the stub has none. */
    private DeadLetterAdmin admin() {
        return OffloadClientProducer.usesRedis(settings) ? redisDeadLetters.get() : NoDeadLetters.INSTANCE;
    }

    private Response requeued(TaskLookup lookup) {
        // The task is back on its queue; its status shows it PENDING unless a worker took it already.
        return lookup instanceof TaskLookup.Found found ? Response.ok(found.status()).build()
                : Response.ok().build();
    }

    private Response notFound(String queue, String qualifier) {
        return ProblemMappers.answer(Problem.of(404, "dead-letter-not-found", "Dead letter not found",
                "Queue '" + queue + "' holds no dead letter with this task id" + qualifier + ".", uri.getPath()));
    }

    static void requireQueue(String queue) {
        if (!QUEUE.matcher(queue).matches()) {
            throw ProblemException.badRequest("invalid-queue",
                    "A queue name is 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit.");
        }
    }

    static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int most = Integer.parseInt(limit);
            if (most >= 1 && most <= MAX_LIMIT) {
                return most;
            }
        } catch (NumberFormatException e) {
            // Refused below, with the range.
        }
        throw ProblemException.badRequest("invalid-limit",
                "The limit parameter must be a whole number from 1 to " + MAX_LIMIT + "; the default is "
                        + DEFAULT_LIMIT + ".");
    }
}
