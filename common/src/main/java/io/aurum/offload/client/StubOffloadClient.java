package io.aurum.offload.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobContext;
import io.aurum.offload.job.JobPerformer;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.job.Outcome;
import io.aurum.offload.job.TaskControl;
import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskLog;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

/**
 * The backend with no broker: it records tasks in memory with deterministic ids ({@code stub-00000001}, ...).
 * By default tasks stay PENDING, as the runbook describes; in eager mode ({@code aurum.api.offload.stub.eager})
 * each job runs at once on a virtual thread of this process and its result is kept like a worker's would be.
 *
 * <p>A status read may wait ({@code ?wait=}) as with Redis: it answers when its task finishes (eager mode) or is
 * revoked, or when the wait runs out; a task that is not eager stays PENDING, so its waits run out.
 *
 * <p>For development and tests only: nothing survives a restart, and ids are guessable.
 */
@ApplicationScoped
@Typed(StubOffloadClient.class)
public class StubOffloadClient implements OffloadClient {

    private static final Logger LOG = Logger.getLogger(StubOffloadClient.class);

    private final JobRegistry registry;
    private final JobPerformer performer;
    private final OffloadSettings settings;
    private final AtomicLong sequence = new AtomicLong();
    private final Cache<String, StubTask> tasks;
    private final WaitSlots waitSlots;

    @Inject
    public StubOffloadClient(JobRegistry registry, JobPerformer performer, OffloadSettings settings) {
        this.registry = registry;
        this.performer = performer;
        this.settings = settings;
        this.tasks = Caffeine.newBuilder()
                .maximumSize(settings.stub().maxTasks())
                .expireAfterWrite(settings.resultTtl())
                .build();
        this.waitSlots = new WaitSlots(settings.api().maxWaiting());
    }

    @Override
    public Uni<String> runJobAsync(String job, ObjectNode payload, EnqueueOptions options) {
        if (!registry.contains(job)) {
            return Uni.createFrom().failure(new UnknownJobException(job));
        }
        String id = "stub-%08d".formatted(sequence.incrementAndGet());
        String queue = options.queue() == null ? settings.defaultQueue() : options.queue();
        StubTask task = new StubTask(pending(id, job, queue, options.notBefore()), options.tenant());
        tasks.put(id, task);
        TaskLog.of("PENDING", id, job, queue).field("backend", backendName()).info(LOG);
        if (settings.stub().eager()) {
            // Assigned before it starts, so a cancel arriving at once finds the thread to interrupt.
            task.runner = Thread.ofVirtual().name("stub-eager-" + id).unstarted(() -> runEagerly(task, payload));
            task.runner.start();
        }
        return Uni.createFrom().item(id);
    }

    @Override
    public Uni<TaskLookup> fetchJobResult(String taskId, String tenant, Duration wait) {
        StubTask task = taskId == null ? null : tasks.getIfPresent(taskId);
        if (task == null || (tenant != null && !tenant.equals(task.tenant))) {
            return Uni.createFrom().item(new TaskLookup.Unknown(taskId));
        }
        if (!wait.isPositive() || task.status.state().isFinished() || !waitSlots.tryTake()) {
            return Uni.createFrom().item(new TaskLookup.Found(task.status));
        }
        // Copies: a wait that times out or is cancelled cancels its own futures, never the task's or the slots'.
        return Uni.createFrom().completionStage(CompletableFuture.anyOf(task.finished.copy(), waitSlots.ended()))
                .ifNoItem().after(wait).recoverWithItem((Void) null)
                .map(ignored -> (TaskLookup) new TaskLookup.Found(task.status))
                .onTermination().invoke(waitSlots::release);
    }

    @Override
    public void endWaits() {
        waitSlots.end();
    }

    /**
     * Revokes a PENDING stub task; in eager mode interrupts a running one, which then ends REVOKED if it stops.
     * Known limitation: the stub ignores idempotency keys and starts delayed tasks at once in eager mode.
     */
    @Override
    public Uni<CancelOutcome> cancel(String taskId, String tenant) {
        StubTask task = taskId == null ? null : tasks.getIfPresent(taskId);
        if (task == null || (tenant != null && !tenant.equals(task.tenant))) {
            return Uni.createFrom().item(new CancelOutcome.Unknown(taskId));
        }
        synchronized (task) {
            TaskStatus current = task.status;
            if (current.state().isFinished()) {
                return Uni.createFrom().item(new CancelOutcome.AlreadyFinished(current));
            }
            task.cancelled = true;
            if (current.state() == TaskState.STARTED) {
                task.runner.interrupt();
                log("cancel-requested", current).attempt(1).info(LOG);
                return Uni.createFrom().item(new CancelOutcome.Requested(current));
            }
            task.status = withState(current, TaskState.REVOKED, null, null, null, Instant.now(), 0);
            task.finished.complete(null);
            log("REVOKED", current).field("reason", "cancelled").info(LOG);
            return Uni.createFrom().item(new CancelOutcome.Revoked(task.status));
        }
    }

    @Override
    public String backendName() {
        return settings.stub().eager() ? "stub-eager" : "stub";
    }

    private void runEagerly(StubTask task, ObjectNode payload) {
        TaskStatus pending;
        Instant started = Instant.now();
        synchronized (task) {
            pending = task.status;
            if (task.cancelled) {
                return;
            }
            task.status = withState(pending, TaskState.STARTED, null, null, started, null, 1);
        }
        log("STARTED", pending).attempt(1).waitMs(started.toEpochMilli() - pending.createdAt().toEpochMilli())
                .info(LOG);
        Outcome outcome = performer.perform(payload, new JobContext(pending.taskId(), pending.job(), task.tenant, 1,
                task));
        Instant finished = Instant.now();
        synchronized (task) {
            task.status = switch (outcome) {
                case Outcome.Success s -> withState(pending, TaskState.SUCCESS, s.result(), null, started, finished, 1);
                case Outcome.Failure f when task.cancelled ->
                        withState(pending, TaskState.REVOKED, null, null, started, finished, 1);
                case Outcome.Failure f -> withState(pending, TaskState.FAILURE, null, f.error(), started, finished, 1);
            };
        }
        task.finished.complete(null);
        TaskStatus ended = task.status;
        TaskLog line = log(ended.state().name(), ended).attempt(1)
                .durationMs(finished.toEpochMilli() - started.toEpochMilli());
        if (ended.error() != null) {
            line.field("error_type", ended.error().type()).detail(ended.error().message()).error(LOG);
        } else {
            line.info(LOG);
        }
    }

    private static TaskLog log(String event, TaskStatus status) {
        return TaskLog.of(event, status.taskId(), status.job(), status.queue());
    }

    private static TaskStatus pending(String id, String job, String queue, Instant notBefore) {
        return new TaskStatus(id, job, queue, TaskState.PENDING, null, null, Instant.now(), null, null, 0, null,
                notBefore, null);
    }

    private static TaskStatus withState(TaskStatus base, TaskState state, ObjectNode result,
            io.aurum.offload.task.TaskError error, Instant started, Instant finished, long attempts) {
        return new TaskStatus(base.taskId(), base.job(), base.queue(), state, result, error, base.createdAt(),
                started, finished, attempts, null, base.notBefore(), null);
    }

    /**
     * One stub task; the status is replaced whole, so a reader never sees a half-written one. {@code finished}
     * completes once the status is final.
     */
    private static final class StubTask implements TaskControl {
        private volatile TaskStatus status;
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final String tenant;
        private volatile boolean cancelled;
        private volatile Thread runner;

        @Override
        public void reportProgress(JsonNode progress) {
            // The stub shows no progress.
        }

        @Override
        public boolean stopRequested() {
            return cancelled;
        }

        private StubTask(TaskStatus status, String tenant) {
            this.status = status;
            this.tenant = tenant;
        }
    }
}
