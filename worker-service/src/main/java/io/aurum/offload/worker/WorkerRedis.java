package io.aurum.offload.worker;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
     * <p>The first try waits on a plain future: this runs several times per task, and Mutiny's timeout and retry
     * operators cost more than the Redis call itself. Only a failed first try goes through them.
     *
     * @param callTimeout longest wait for one attempt
     */
    static <T> T awaitPersistently(Uni<T> call, Duration callTimeout, RedisFailures failures) {
        Throwable first;
        try {
            T item = call.subscribeAsCompletionStage().get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
            failures.succeeded();
            return item;
        } catch (InterruptedException e) {
            // As Mutiny's own await does: keep the flag, and fail the way the processor expects at shutdown.
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            first = e.getCause();
        } catch (TimeoutException e) {
            first = e;
        }
        Throwable classified = failures.classify(first);
        if (!RedisFailures.isOutage(classified)) {
            throw classified instanceof RuntimeException runtime ? runtime : new CompletionException(classified);
        }
        return call.ifNoItem().after(callTimeout).fail()
                .onItem().invoke(failures::succeeded)
                .onFailure().transform(failures::classify)
                .onFailure(RedisFailures::isOutage).retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0.3)
                .indefinitely()
                .await().indefinitely();
    }
}
