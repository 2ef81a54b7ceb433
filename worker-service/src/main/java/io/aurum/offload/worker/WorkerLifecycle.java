package io.aurum.offload.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.client.OffloadClientProducer;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobPerformer;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.metrics.TaskMetrics;
import io.aurum.offload.redis.RedisFailures;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Starts the processors once this worker is registered as alive, and stops them on SIGTERM: no new tasks are
 * taken, tasks in flight get the shutdown grace to finish (the heartbeat goes on meanwhile), and what is still
 * running after it is interrupted and put back on its queue.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private static final Logger LOG = Logger.getLogger(WorkerLifecycle.class);

    @Inject
    OffloadSettings settings;
    @Inject
    WorkerIdentity identity;
    @Inject
    WorkerHeartbeat heartbeat;
    @Inject
    TaskFetcher fetcher;
    @Inject
    TaskRecorder recorder;
    @Inject
    RunningTasks running;
    @Inject
    DelayedPromoter promoter;
    @Inject
    JobPerformer performer;
    @Inject
    JobRegistry registry;
    @Inject
    ObjectMapper mapper;
    @Inject
    TaskMetrics metrics;
    @Inject
    TaskSpans spans;

    private final List<Thread> processors = new ArrayList<>();
    private final AtomicLong finished = new AtomicLong();
    private volatile boolean accepting;
    private volatile boolean abandoning;
    /** True once the processors were started: the worker registered on Redis and consumes. */
    private volatile boolean consuming;
    /** True once shutdown began. */
    private volatile boolean stopping;
    private Thread starter;

    void onStart(@Observes StartupEvent startup) {
        if (!OffloadClientProducer.usesRedis(settings)) {
            throw new IllegalStateException("The worker takes tasks from Redis only: set AURUM_API_OFFLOAD_ENABLED=true"
                    + " (aurum.api.offload.enabled) and leave AURUM_API_OFFLOAD_USE_STUB=false");
        }
        requireLeaseOutlivesHeartbeats(settings.worker());
        accepting = true;
        // Registering may wait for Redis; it happens off the startup thread, and no task is taken before it.
        starter = Thread.ofVirtual().name("aurum-worker-start").start(this::registerThenStartProcessors);
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        if (starter == null) {
            return;
        }
        stopping = true;
        accepting = false;
        starter.interrupt();
        LOG.infof("Worker %s stopping: %d tasks in flight get up to %s to finish", identity.id(), running.count(),
                settings.worker().shutdownGrace());
        boolean drained = drain(settings.worker().shutdownGrace());
        if (!drained) {
            abandoning = true;
            synchronized (processors) {
                processors.forEach(Thread::interrupt);
            }
            joinAll(Duration.ofSeconds(2));
        }
        heartbeat.stop();
        promoter.stop();
        long requeued = requeueOwn();
        LOG.infof("Worker %s stopped after finishing %d tasks; %d went back to their queue", identity.id(),
                finished.get(), requeued);
    }

    /**
     * A worker must renew its lease well before it runs out, or its own sweep and its peers' take its running tasks
     * away again and again: at least two beats per visibility timeout.
     */
    static void requireLeaseOutlivesHeartbeats(OffloadSettings.Worker worker) {
        if (worker.heartbeatInterval().multipliedBy(2).compareTo(worker.visibilityTimeout()) > 0) {
            throw new IllegalStateException("aurum.api.offload.worker.visibility-timeout (" + worker.visibilityTimeout()
                    + ") must be at least twice aurum.api.offload.worker.heartbeat-interval ("
                    + worker.heartbeatInterval() + "): raise the timeout or shorten the interval");
        }
    }

    boolean isAccepting() {
        return accepting;
    }

    boolean isAbandoning() {
        return abandoning;
    }

    void countFinished() {
        finished.incrementAndGet();
    }

    /** What the health checks read: whether the processors run, how many of how many, on which queues. */
    Consumers consumers() {
        synchronized (processors) {
            long alive = processors.stream().filter(Thread::isAlive).count();
            return new Consumers(consuming, stopping, alive, settings.worker().concurrency(), fetcher.queues());
        }
    }

    /**
     * The processors as the health checks see them.
     *
     * @param started  the worker registered and started its processors
     * @param stopping shutdown began
     * @param alive    processors whose thread runs
     * @param wanted   the configured concurrency
     * @param queues   the queues consumed
     */
    record Consumers(boolean started, boolean stopping, long alive, int wanted, List<String> queues) {

        /** Every processor runs and takes tasks. */
        boolean consuming() {
            return started && !stopping && alive == wanted;
        }

        /** A processor ended while the worker was not stopping: a defect that a restart mends. */
        boolean broken() {
            return started && !stopping && alive < wanted;
        }
    }

    private void registerThenStartProcessors() {
        try {
            WorkerRedis.awaitPersistently(heartbeat.beat().replaceWith(Boolean.TRUE), settings.redisTimeout(),
                    new RedisFailures("Redis broker (registration)"));
        } catch (RuntimeException e) {
            LOG.info("Worker start abandoned: shutdown began before it could register");
            return;
        }
        heartbeat.start();
        promoter.start();
        int concurrency = settings.worker().concurrency();
        synchronized (processors) {
            for (int i = 0; i < concurrency && accepting; i++) {
                Processor processor = new Processor(this, fetcher, recorder, running, performer, registry, mapper,
                        metrics, spans);
                processors.add(Thread.ofVirtual().name("aurum-processor-" + i).start(processor));
            }
            consuming = accepting;
        }
        LOG.infof("Worker %s started with %d processors on queues %s; jobs: %s", identity.id(), concurrency,
                fetcher.queues(), registry.names());
    }

    /** Waits for the processors to finish their tasks, renewing the heartbeat meanwhile. True if all did. */
    private boolean drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        Duration beatEvery = settings.worker().heartbeatInterval();
        while (busyProcessors() > 0 && System.nanoTime() < deadline) {
            // Best effort: a beat that fails or hangs must not cut the drain short.
            heartbeat.beat().ifNoItem().after(settings.redisTimeout()).recoverWithItem((Void) null)
                    .onFailure().recoverWithNull().await().indefinitely();
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            joinAll(left.compareTo(beatEvery) < 0 ? left : beatEvery);
        }
        return busyProcessors() == 0;
    }

    private long busyProcessors() {
        synchronized (processors) {
            return processors.stream().filter(Thread::isAlive).count();
        }
    }

    private void joinAll(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        List<Thread> snapshot;
        synchronized (processors) {
            snapshot = List.copyOf(processors);
        }
        for (Thread processor : snapshot) {
            long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                processor.join(leftMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long requeueOwn() {
        try {
            return fetcher.requeueOwn();
        } catch (RuntimeException e) {
            // Redis is away: the tasks stay in this worker's active lists until another worker's sweep finds them.
            LOG.warnf("Could not put tasks back on shutdown (%s); the recovery sweep of another worker will", e);
            return 0;
        }
    }
}
