package io.aurum.offload.api;

import java.util.List;

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

/**
 * What operators ask of a running system, as {@code celery inspect}, {@code celery purge} and {@code rq info}
 * answer it: queues and their depth, workers and what they run, the latest tasks, and purging a queue. Behind the
 * admin credential, like the dead letters ({@link DeadLetterResource}); the dashboard at {@code /admin/} reads
 * these. On the stub backend there are no workers and no queued messages: queues show as empty.
 */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(DeadLetterResource.ROLE)
public class AdminResource {

    static final int DEFAULT_TASKS = 50;

    @Inject
    OffloadSettings settings;
    @Inject
    Instance<RedisInspector> inspector;

    /** Every queue with its depth. */
    @RegisterForReflection
    public record QueueList(@JsonProperty("queues") List<QueueDepth> queues) {
    }

    /** Every registered worker, alive ones first. */
    @RegisterForReflection
    public record WorkerList(@JsonProperty("workers") List<LiveWorker> workers) {
    }

    /** The latest tasks, newest first. */
    @RegisterForReflection
    public record TaskList(@JsonProperty("tasks") List<RecentTask> tasks) {
    }

    @GET
    @Path("/queues")
    public Uni<QueueList> queues() {
        if (!usesRedis()) {
            return Uni.createFrom().item(new QueueList(RedisInspector.configuredQueues(settings).stream()
                    .map(QueueDepth::empty).toList()));
        }
        return inspector.get().depths().map(QueueList::new);
    }

    @GET
    @Path("/queues/{queue}")
    public Uni<QueueDepth> queue(@PathParam("queue") String queue) {
        DeadLetterResource.requireQueue(queue);

        return usesRedis() ? inspector.get().depth(queue) : Uni.createFrom().item(QueueDepth.empty(queue));
    }

    @POST
    @Path("/queues/{queue}/purge")
    public Uni<PurgeOutcome> purge(@PathParam("queue") String queue) {
        DeadLetterResource.requireQueue(queue);

        return usesRedis() ? inspector.get().purge(queue) : Uni.createFrom().item(new PurgeOutcome(queue, 0, 0));
    }

    @GET
    @Path("/workers")
    public Uni<WorkerList> workers() {
        return usesRedis() ? inspector.get().workers().map(WorkerList::new)
                : Uni.createFrom().item(new WorkerList(List.of()));
    }

    @GET
    @Path("/tasks")
    public Uni<TaskList> tasks(@QueryParam("queue") String queue, @QueryParam("limit") String limit) {
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
