package io.aurum.offload.worker;

import java.util.List;

import org.jboss.logging.Logger;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisFailures;
import io.aurum.offload.redis.RedisKeys;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Moves retries and delayed tasks onto their queue once due. Delays live in Redis, never in a worker's memory:
 * every replica promotes, and the atomic promote script hands each message over exactly once.
 */
@ApplicationScoped
class DelayedPromoter {

    private static final Logger LOG = Logger.getLogger(DelayedPromoter.class);

    /** Messages moved per script call, so one call never holds Redis for long. */
    private static final int BATCH = 500;

    /** Calls per queue and round; what is left waits for the next round. */
    private static final int MAX_BATCHES = 20;

    private final RedisConnections redis;
    private final List<String> queues;
    private final RedisFailures failures = new RedisFailures("Redis broker (delayed tasks)");
    private volatile boolean active;

    @Inject
    DelayedPromoter(RedisConnections redis, OffloadSettings settings) {
        this.redis = redis;
        this.queues = TaskFetcher.consumedQueues(settings);
    }

    void start() {
        active = true;
    }

    void stop() {
        active = false;
    }

    @Scheduled(every = "${aurum.api.offload.worker.delay-poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> promoteDue() {
        if (!active) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(queues)
                .onItem().transformToUniAndConcatenate(this::promote)
                .collect().asList()
                .onItem().invoke(failures::succeeded)
                .onFailure().invoke(failures::classify)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Promotes due messages of one queue in batches until fewer than a batch are due. */
    private Uni<Long> promote(String queue) {
        return promoteBatches(queue, 0, 0);
    }

    private Uni<Long> promoteBatches(String queue, int batches, long movedSoFar) {
        return WorkerScripts.PROMOTE.run(redis.broker(), List.of(RedisKeys.delayed(queue), RedisKeys.pending(queue)),
                        List.of(BATCH))
                .chain(reply -> {
                    long moved = movedSoFar + reply.toLong();
                    if (reply.toLong() == BATCH && batches + 1 < MAX_BATCHES) {
                        return promoteBatches(queue, batches + 1, moved);
                    }
                    if (moved > 0) {
                        LOG.debugf("Moved %d due tasks onto queue %s", moved, queue);
                    }
                    return Uni.createFrom().item(moved);
                });
    }
}
