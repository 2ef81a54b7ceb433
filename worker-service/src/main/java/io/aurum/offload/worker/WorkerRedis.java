package io.aurum.offload.worker;

import java.time.Duration;

import io.aurum.offload.redis.RedisFailures;
import io.smallrye.mutiny.Uni;

/**
 * How the worker waits on Redis from its virtual threads: each call bounded by a timeout, outages retried with
 * jittered exponential backoff (Mutiny's), so a worker neither spins nor gives up while Redis is away.
 */
final class WorkerRedis {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private WorkerRedis() {
    }

    /**
     * Waits for {@code call}, retrying outages until it succeeds or the thread is interrupted (shutdown).
     *
     * @param callTimeout longest wait for one attempt
     */
    static <T> T awaitPersistently(Uni<T> call, Duration callTimeout, RedisFailures failures) {
        return call.ifNoItem().after(callTimeout).fail()
                .onItem().invoke(failures::succeeded)
                .onFailure().transform(failures::classify)
                .onFailure(RedisFailures::isOutage).retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0.3)
                .indefinitely()
                .await().indefinitely();
    }
}
