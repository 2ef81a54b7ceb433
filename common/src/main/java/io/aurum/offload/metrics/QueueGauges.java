package io.aurum.offload.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.aurum.offload.client.OffloadClientProducer;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisFailures;
import io.aurum.offload.redis.RedisInspector;
import io.aurum.offload.redis.RedisKeys;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Gauges of what Redis holds, the same for every process that reads it: per queue the tasks pending, the delayed
 * ones (retries, {@code not_before}), the dead letters, and the workers whose lease is alive. Both services publish
 * them, so the backlog shows with no worker running and with no api; aggregate them with {@code max by (queue)},
 * not {@code sum}.
 *
 * <p>Read at scrape time, not on a timer: the first gauge read of a scrape finds the figures older than
 * {@code metrics.gauge-max-age} and reads them all in one pipelined round trip, which every other gauge and any
 * concurrent scrape share. A storm of scrapes costs one read per period, and a process that nobody scrapes never
 * reads, so the round trips per task stay where they were. The Prometheus handler runs on a worker thread, where
 * a short blocking wait is allowed; an unreachable Redis makes the gauges {@code NaN} for that period rather than
 * showing old figures.
 *
 * <p>Queues gauged: those the settings name and those a worker's heartbeat registered in the last day, as the admin
 * endpoints list them; a queue first seen in a read gets its gauges for the next scrape.
 */
@ApplicationScoped
public class QueueGauges {

    private static final Logger LOG = Logger.getLogger(QueueGauges.class);

    /** Longest a scrape waits for Redis; a slower read leaves the gauges NaN until the next period. */
    private static final Duration LONGEST_READ = Duration.ofSeconds(2);
    private static final Duration QUEUE_MEMORY = Duration.ofDays(1);
    /** Commands per queue in a read: pending, delayed, dead letters, leases. */
    private static final int PER_QUEUE = 4;

    /** The figures gauged per queue, with their meter names. */
    enum Figure {
        PENDING("aurum.queue.depth", "Tasks waiting on the queue for a worker"),
        DELAYED("aurum.queue.delayed", "Tasks waiting for their retry or not_before time"),
        DEAD_LETTERS("aurum.queue.dead.letters", "Dead letters kept for the queue"),
        WORKERS_ALIVE("aurum.workers.alive", "Workers consuming the queue whose heartbeat lease is alive");

        final String meter;
        final String description;

        Figure(String meter, String description) {
            this.meter = meter;
            this.description = description;
        }
    }

    /** The figures of every queue read at {@code readAtNanos}; an empty map after a failed read. */
    private record Snapshot(long readAtNanos, Map<String, long[]> figures) {

        boolean youngerThan(long maxAgeNanos) {
            return System.nanoTime() - readAtNanos < maxAgeNanos;
        }
    }

    private final MeterRegistry meters;
    private final Instance<RedisConnections> redis;
    private final OffloadSettings settings;
    private final long maxAgeNanos;
    private final Duration readTimeout;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private final RedisFailures failures = new RedisFailures("Redis broker (metrics)");
    private final Object reading = new Object();
    /** Null until the first scrape reads; not a static "never read" value, whose clock would be the native build's. */
    private volatile Snapshot snapshot;

    @Inject
    public QueueGauges(MeterRegistry meters, Instance<RedisConnections> redis, OffloadSettings settings) {
        this.meters = meters;
        this.redis = redis;
        this.settings = settings;
        this.maxAgeNanos = settings.metrics().gaugeMaxAge().toNanos();
        this.readTimeout = settings.redisTimeout().compareTo(LONGEST_READ) < 0 ? settings.redisTimeout() : LONGEST_READ;
    }

    /** Gauges the configured queues; a service on the stub has no Redis to gauge. */
    void onStart(@Observes StartupEvent startup) {
        if (OffloadClientProducer.usesRedis(settings)) {
            RedisInspector.configuredQueues(settings).forEach(this::gauge);
        }
    }

    private void gauge(String queue) {
        if (!gauged.add(queue)) {
            return;
        }
        for (Figure figure : Figure.values()) {
            Gauge.builder(figure.meter, this, gauges -> gauges.value(queue, figure))
                    .description(figure.description).tag("queue", queue).strongReference(true).register(meters);
        }
    }

    /** One figure of one queue, from figures at most {@code gauge-max-age} old; NaN when Redis did not answer. */
    double value(String queue, Figure figure) {
        long[] figures = fresh().figures().get(queue);
        return figures == null ? Double.NaN : figures[figure.ordinal()];
    }

    private Snapshot fresh() {
        Snapshot current = snapshot;
        if (current != null && current.youngerThan(maxAgeNanos)) {
            return current;
        }
        synchronized (reading) {
            current = snapshot;
            if (current != null && current.youngerThan(maxAgeNanos)) {
                return current;
            }
            current = read();
            snapshot = current;
            return current;
        }
    }

    /** Every gauged queue's figures and the queue registry, in one pipelined round trip. */
    private Snapshot read() {
        List<String> queues = List.copyOf(new TreeSet<>(gauged));
        long since = System.currentTimeMillis() - QUEUE_MEMORY.toMillis();
        List<Request> reads = new ArrayList<>(List.of(Request.cmd(Command.TIME),
                Request.cmd(Command.ZRANGEBYSCORE).arg(RedisKeys.queues()).arg(since).arg("+inf")));
        for (String queue : queues) {
            reads.add(Request.cmd(Command.LLEN).arg(RedisKeys.pending(queue)));
            reads.add(Request.cmd(Command.ZCARD).arg(RedisKeys.delayed(queue)));
            reads.add(Request.cmd(Command.ZCARD).arg(RedisKeys.dead(queue)));
            reads.add(Request.cmd(Command.ZRANGE).arg(RedisKeys.workers(queue)).arg(0).arg(-1).arg("WITHSCORES"));
        }
        try {
            List<Response> replies = redis.get().broker().batch(reads).ifNoItem().after(readTimeout).fail()
                    .await().indefinitely();
            failures.succeeded();
            return new Snapshot(System.nanoTime(), figures(queues, replies));
        } catch (RuntimeException e) {
            // Redis away or slow: the gauges say "unknown" for one period; the outage is logged once.
            failures.classify(e);
            LOG.debugf("Queue gauges not read: %s", e.getMessage());
            return new Snapshot(System.nanoTime(), Map.of());
        }
    }

    private Map<String, long[]> figures(List<String> queues, List<Response> replies) {
        Response time = replies.get(0);
        long now = time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
        Map<String, long[]> figures = new HashMap<>();
        for (int i = 0; i < queues.size(); i++) {
            int at = 2 + i * PER_QUEUE;
            figures.put(queues.get(i), new long[] {replies.get(at).toLong(), replies.get(at + 1).toLong(),
                replies.get(at + 2).toLong(), aliveLeases(replies.get(at + 3), now)});
        }
        Response registered = replies.get(1);
        if (registered != null) {
            // Registered off this scrape, so the registry's meters are not changed while it is being written out.
            registered.forEach(queue -> {
                String name = queue.toString();
                if (!gauged.contains(name)) {
                    Infrastructure.getDefaultExecutor().execute(() -> gauge(name));
                }
            });
        }
        return figures;
    }

    /** How many leases of a {@code ZRANGE ... WITHSCORES} reply end after {@code now}; RESP2 flat or RESP3 pairs. */
    private static long aliveLeases(Response leases, long now) {
        if (leases == null || leases.size() == 0) {
            return 0;
        }
        long alive = 0;
        if (leases.get(0).type() == ResponseType.MULTI) {
            for (Response pair : leases) {
                alive += pair.get(1).toDouble() > now ? 1 : 0;
            }
        } else {
            for (int i = 1; i < leases.size(); i += 2) {
                alive += leases.get(i).toDouble() > now ? 1 : 0;
            }
        }
        return alive;
    }
}
