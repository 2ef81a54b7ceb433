package io.aurum.offload.redis;

import java.util.Optional;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.aurum.offload.config.OffloadSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one subscription of this process to {@link RedisKeys#taskDoneChannel()} on the result backend: each id heard
 * wakes the status reads waiting for that task ({@link TaskWaiters}).
 *
 * <p>A dropped connection (Redis restarted, network cut) is subscribed again with exponential backoff, from
 * {@link #FIRST_RETRY} up to {@link #LONGEST_RETRY}; the outage is logged when it starts and when it ends. Finishes
 * published meanwhile are not heard, so every waiter is woken once the subscription is back and reads its task
 * again. While it is down, waits simply run to their end: nothing hangs on it.
 *
 * <p>Started by the api (at startup, and by the first waiting read); the worker never starts it.
 */
@ApplicationScoped
public class TaskDoneSubscriber {

    private static final Logger LOG = Logger.getLogger(TaskDoneSubscriber.class);

    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final Redis client;
    private final Duration confirmTimeout;
    private final TaskWaiters waiters = new TaskWaiters();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<RedisConnection> live = new AtomicReference<>();
    private final AtomicLong downSince = new AtomicLong();
    private volatile boolean stopped;
    private volatile Cancellable subscribing;

    @Inject
    public TaskDoneSubscriber(RedisConnections redis, OffloadSettings settings) {
        this.client = redis.subscriber();
        this.confirmTimeout = settings.redisTimeout();
    }

    /** Subscribes in the background, once; later calls do nothing. Never blocks and never fails. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            LOG.infof("Listening for finished tasks on Redis channel %s", RedisKeys.taskDoneChannel());
            subscribe();
        }
    }

    /** True while the channel is subscribed: a finish published now is heard. */
    public boolean isSubscribed() {
        return live.get() != null;
    }

    TaskWaiters waiters() {
        return waiters;
    }

    @PreDestroy
    public void stop() {
        stopped = true;
        Cancellable attempt = subscribing;
        if (attempt != null) {
            attempt.cancel();
        }
        RedisConnection connection = live.getAndSet(null);
        if (connection != null) {
            close(connection);
        }
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        subscribing = attempt()
                .onFailure().invoke(this::markDown)
                .onFailure().retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).withJitter(0.2).indefinitely()
                .subscribe().with(this::subscribed, failure -> LOG.errorf(failure,
                        "Stopped listening for finished tasks on %s", RedisKeys.taskDoneChannel()));
    }

    /** Connects and subscribes; emits the connection once Redis confirmed the subscription. */
    private Uni<RedisConnection> attempt() {
        return Uni.createFrom().emitter(confirmed -> {
            Attempt attempt = new Attempt(confirmed);
            ScheduledFuture<?> timeout = Infrastructure.getDefaultWorkerPool().schedule(() -> attempt.fail(
                    new TimeoutException("not subscribed within " + confirmTimeout)),
                    confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
            confirmed.onTermination(() -> {
                timeout.cancel(false);
                // Cancelled by stop() while pending: close what was opened. Once settled this does nothing.
                attempt.fail(new CancellationException("stopped"));
            });
            client.connect().subscribe().with(attempt::opened, attempt::fail);
        });
    }

    /**
     * One try at subscribing. Exactly one of the confirmation, the timeout and a failure settles it
     * ({@code pending}), and a connection that comes too late is closed: a slow Redis can neither leave two live
     * subscriptions nor hold the subscriber's one pooled connection forever.
     */
    private final class Attempt {

        private final UniEmitter<? super RedisConnection> confirmed;
        private final AtomicBoolean pending = new AtomicBoolean(true);
        private volatile RedisConnection connection;

        private Attempt(UniEmitter<? super RedisConnection> confirmed) {
            this.confirmed = confirmed;
        }

        void opened(RedisConnection opened) {
            connection = opened;
            if (!pending.get()) {
                close(opened);
                return;
            }
            opened.handler(this::heard);
            opened.endHandler(() -> lost(new IllegalStateException("connection closed")));
            opened.exceptionHandler(this::lost);
            opened.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.taskDoneChannel()))
                    .subscribe().with(sent -> { }, this::fail);
        }

        /** Fails the attempt while it is pending, closing its connection; false when it was settled already. */
        boolean fail(Throwable failure) {
            if (!pending.compareAndSet(true, false)) {
                return false;
            }
            RedisConnection opened = connection;
            if (opened != null) {
                close(opened);
            }
            confirmed.fail(failure);
            return true;
        }

        private void heard(Response push) {
            String kind = push.size() > 0 ? push.get(0).toString() : "";
            if ("message".equalsIgnoreCase(kind) && push.size() >= 3) {
                // "<id>" or "<id> <record as a JSON array>"
                String message = push.get(2).toString();
                int space = message.indexOf(' ');
                waiters.wake(space < 0 ? message : message.substring(0, space),
                        space < 0 ? Optional.empty() : Optional.of(message.substring(space + 1)));
            } else if ("subscribe".equalsIgnoreCase(kind) && pending.compareAndSet(true, false)) {
                live.set(connection);
                confirmed.complete(connection);
            }
        }

        private void lost(Throwable failure) {
            if (fail(failure)) {
                return;
            }
            // endHandler and exceptionHandler may both fire for one loss: only the first subscribes again.
            if (live.compareAndSet(connection, null)) {
                markDown(failure);
                close(connection);
                subscribe();
            }
        }
    }

    private void subscribed(RedisConnection connection) {
        if (stopped) {
            live.set(null);
            close(connection);
            return;
        }
        long since = downSince.getAndSet(0);
        if (since != 0) {
            LOG.infof("Subscribed to %s again after %d ms", RedisKeys.taskDoneChannel(),
                    System.currentTimeMillis() - since);
        }
        // Finishes published before this subscription took effect were not heard: every waiter reads again.
        waiters.wakeAll();
    }

    private static void close(RedisConnection connection) {
        connection.close().subscribe().with(closed -> { }, failure -> { });
    }

    private void markDown(Throwable failure) {
        if (downSince.compareAndSet(0, System.currentTimeMillis())) {
            LOG.warnf("Not subscribed to %s (%s); waiting status reads run to their time limit until it is back",
                    RedisKeys.taskDoneChannel(), failure.toString());
        }
    }
}
