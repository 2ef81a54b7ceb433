package io.aurum.offload.worker;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisFailures;
import io.aurum.offload.redis.RedisKeys;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps this worker registered as alive on each queue it consumes, and sweeps the queues for workers whose
 * heartbeat ran out, putting their tasks back. Every worker sweeps; the sweep script is atomic, so sweepers racing
 * over one dead worker requeue each of its tasks exactly once.
 *
 * <p>The visibility timeout is the heartbeat's lease: a worker that keeps beating keeps its tasks however long
 * they run, and one that stops beating (killed, or paused past the timeout) loses them to the next sweep.
 */
@ApplicationScoped
class WorkerHeartbeat {

    private static final Logger LOG = Logger.getLogger(WorkerHeartbeat.class);

    /** A dead worker is forgotten this long after its heartbeat ran out, unless it comes back. */
    private static final Duration FORGET_AFTER_AT_LEAST = Duration.ofHours(1);

    private final RedisConnections redis;
    private final WorkerIdentity identity;
    private final List<String> queues;
    private final long visibilityMs;
    private final long forgetAfterMs;
    private final RedisFailures failures = new RedisFailures("Redis broker (heartbeat)");
    private volatile boolean registered;

    @Inject
    WorkerHeartbeat(RedisConnections redis, WorkerIdentity identity, OffloadSettings settings) {
        this.redis = redis;
        this.identity = identity;
        this.queues = TaskFetcher.consumedQueues(settings);
        this.visibilityMs = settings.worker().visibilityTimeout().toMillis();
        Duration tenTimesVisibility = settings.worker().visibilityTimeout().multipliedBy(10);
        this.forgetAfterMs = Math.max(FORGET_AFTER_AT_LEAST.toMillis(), tenTimesVisibility.toMillis());
    }

    /** Starts beating on schedule; until then, and after {@link #stop()}, scheduled beats do nothing. */
    void start() {
        registered = true;
    }

    void stop() {
        registered = false;
    }

    @Scheduled(every = "${aurum.api.offload.worker.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledBeat() {
        return registered ? beat().onFailure().recoverWithNull().replaceWithVoid() : Uni.createFrom().voidItem();
    }

    @Scheduled(every = "${aurum.api.offload.worker.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledSweep() {
        return registered ? sweep().onFailure().recoverWithNull().replaceWithVoid() : Uni.createFrom().voidItem();
    }

    @Inject
    TaskFetcher fetcher;
    @Inject
    ObjectMapper mapper;

    /** Puts back messages stranded in this worker's own active lists; see {@link TaskFetcher#reclaimOrphans()}. */
    @Scheduled(every = "${aurum.api.offload.worker.heartbeat-interval}",
            delayed = "${aurum.api.offload.worker.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reclaimOrphans() {
        if (!registered) {
            return;
        }
        try {
            long reclaimed = fetcher.reclaimOrphans();
            if (reclaimed > 0) {
                LOG.warnf("Put back %d tasks stranded in this worker's active lists", reclaimed);
            }
        } catch (RuntimeException e) {
            // Redis away or slow: the orphans stay where they are until the next round.
            LOG.debugf("Orphan reclaim skipped: %s", e.getMessage());
        }
    }

    /** Renews this worker's lease on every consumed queue. */
    Uni<Void> beat() {
        return Uni.join().all(queues.stream()
                        .map(queue -> WorkerScripts.HEARTBEAT.run(redis.broker(),
                                List.of(RedisKeys.workers(queue), RedisKeys.queues()),
                                List.of(identity.id(), visibilityMs, queue)))
                        .toList())
                .andFailFast()
                .onItem().invoke(failures::succeeded)
                .onFailure().transform(failures::classify)
                .replaceWithVoid();
    }

    /** Requeues the tasks of dead workers on every consumed queue; returns how many went back. */
    Uni<Long> sweep() {
        return Uni.join().all(queues.stream().map(this::sweep).toList()).andFailFast()
                .map(counts -> counts.stream().mapToLong(Long::longValue).sum())
                .onFailure().transform(failures::classify);
    }

    private Uni<Long> sweep(String queue) {
        return WorkerScripts.RECOVER.run(redis.broker(), List.of(RedisKeys.workers(queue), RedisKeys.pending(queue)),
                        List.of(RedisKeys.activePrefix(queue), forgetAfterMs))
                .map(moved -> {
                    if (moved.size() > 0) {
                        LOG.warnf("Requeued %d tasks of dead workers on queue %s", moved.size(), queue);
                        moved.forEach(message -> Requeued.log(mapper, queue, message.toBuffer(), Requeued.WORKER_LOST));
                    }
                    return (long) moved.size();
                });
    }
}
