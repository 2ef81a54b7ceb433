package io.aurum.offload.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.aurum.offload.admin.LiveWorker;
import io.aurum.offload.admin.PurgeOutcome;
import io.aurum.offload.admin.QueueDepth;
import io.aurum.offload.admin.RecentTask;
import io.aurum.offload.client.OffloadClientProducer;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisInspector;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What operators ask of a running system, as {@code celery inspect}, {@code celery purge} and {@code rq info}
 * answer it: queues and their depth, workers and what they run, the latest tasks, and purging a queue. Behind the
 * admin credential, like the dead letters ({@link DeadLetterResource}); the dashboard at {@code /admin/} reads
 * these. On the stub backend there are no workers and no queued messages: queues show as empty.
 */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(DeadLetterResource.ROLE)
@Tag(name = ApiDocs.ADMIN)
public class AdminResource {

    static final int DEFAULT_TASKS = 50;

    @Inject
    OffloadSettings settings;
    @Inject
    Instance<RedisInspector> inspector;

    /** Every queue with its depth. */
    @RegisterForReflection
    @Schema(name = "QueueList", requiredProperties = "queues")
    public record QueueList(@JsonProperty("queues") List<QueueDepth> queues) {
    }

    /** Every registered worker, alive ones first. */
    @RegisterForReflection
    @Schema(name = "WorkerList", requiredProperties = "workers")
    public record WorkerList(@JsonProperty("workers") List<LiveWorker> workers) {
    }

    /** The latest tasks, newest first. */
    @RegisterForReflection
    @Schema(name = "TaskList", requiredProperties = "tasks")
    public record TaskList(@JsonProperty("tasks") List<RecentTask> tasks) {
    }

    @GET
    @Path("/queues")
    @Operation(operationId = "listQueues", summary = "Every queue with its depth",
            description = "The configured queues and every queue a worker consumed in the last day.")
    @APIResponse(responseCode = "200", description = "The queues.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = QueueList.class),
                    examples = @ExampleObject(name = "example", value = ApiDocs.LIST_QUEUES_EXAMPLE)))
    @APIResponse(responseCode = "401", ref = ApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)

    public Uni<QueueList> queues() {
        if (!usesRedis()) {
            return Uni.createFrom().item(new QueueList(RedisInspector.configuredQueues(settings).stream()
                    .map(QueueDepth::empty).toList()));
        }
        return inspector.get().depths().map(QueueList::new);
    }

    @GET
    @Path("/queues/{queue}")
    @Operation(operationId = "getQueue", summary = "One queue's depth", description = "Any well-formed name.")
    @APIResponse(responseCode = "200", description = "The queue.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = QueueDepth.class),
                    examples = @ExampleObject(name = "example", value = ApiDocs.GET_QUEUE_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<QueueDepth> queue(@Parameter(ref = ApiDocs.QUEUE) @PathParam("queue") String queue) {
        DeadLetterResource.requireQueue(queue);

        return usesRedis() ? inspector.get().depth(queue) : Uni.createFrom().item(QueueDepth.empty(queue));
    }

    @POST
    @Path("/queues/{queue}/purge")
    @Operation(operationId = "purgeQueue", summary = "Purge a queue",
            description = "The messages pending when the purge begins leave the queue and their tasks end REVOKED. "
                    + "Delayed messages (retries, not_before) and running tasks are left alone.")
    @APIResponse(responseCode = "200", description = "What the purge did.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PurgeOutcome.class),
                    examples = @ExampleObject(name = "example", value = ApiDocs.PURGE_QUEUE_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<PurgeOutcome> purge(@Parameter(ref = ApiDocs.QUEUE) @PathParam("queue") String queue) {
        DeadLetterResource.requireQueue(queue);

        return usesRedis() ? inspector.get().purge(queue) : Uni.createFrom().item(new PurgeOutcome(queue, 0, 0));
    }

    @GET
    @Path("/workers")
    @Operation(operationId = "listWorkers", summary = "Workers and the tasks they hold",
            description = "Alive ones first; a worker whose lease ran out shows alive false until the sweep "
                    + "forgets it.")
    @APIResponse(responseCode = "200", description = "The workers.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WorkerList.class),
                    examples = @ExampleObject(name = "example", value = ApiDocs.LIST_WORKERS_EXAMPLE)))
    @APIResponse(responseCode = "401", ref = ApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)

    public Uni<WorkerList> workers() {
        return usesRedis() ? inspector.get().workers().map(WorkerList::new)
                : Uni.createFrom().item(new WorkerList(List.of()));
    }

    @GET
    @Path("/tasks")
    @Operation(operationId = "listRecentTasks", summary = "The latest tasks, newest first",
            description = "Of one queue or of all, as their records stand now; up to limit (default 50).")
    @APIResponse(responseCode = "200", description = "The tasks.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TaskList.class),
                    examples = @ExampleObject(name = "example", value = ApiDocs.LIST_RECENT_TASKS_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<TaskList> tasks(
            @Parameter(description = "Only this queue's tasks.", schema = @Schema(type = SchemaType.STRING,
                    pattern = ApiDocs.NAME_PATTERN)) @QueryParam("queue") String queue,
            @Parameter(ref = ApiDocs.LIMIT) @QueryParam("limit") String limit) {
        if (queue != null) {
            DeadLetterResource.requireQueue(queue);
        }
        int most = limit == null ? DEFAULT_TASKS : DeadLetterResource.limit(limit);

        return usesRedis() ? inspector.get().recentTasks(queue, most).map(TaskList::new)
                : Uni.createFrom().item(new TaskList(List.of()));
    }

    private boolean usesRedis() {
        return OffloadClientProducer.usesRedis(settings);
    }
}
