package io.aurum.offload.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.job.JobContext;
import io.aurum.offload.job.JobOptions;
import io.aurum.offload.job.JobPerformer;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.job.Outcome;
import io.aurum.offload.metrics.TaskMetrics;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskLog;
import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.task.TaskState;
import io.opentelemetry.context.Context;

/**
 * One of the worker's processors, each on its own virtual thread: take a task, mark it started, run it within
 * its time limits, decide between success, retry and failure, record that and settle the message; then the next.
 */
final class Processor implements Runnable {

    private static final Logger LOG = Logger.getLogger(Processor.class);

    private final WorkerLifecycle lifecycle;
    private final TaskFetcher fetcher;
    private final TaskRecorder recorder;
    private final RunningTasks running;
    private final JobPerformer performer;
    private final JobRegistry registry;
    private final ObjectMapper mapper;
    private final TaskMetrics metrics;
    private final TaskSpans spans;

    Processor(WorkerLifecycle lifecycle, TaskFetcher fetcher, TaskRecorder recorder, RunningTasks running,
            JobPerformer performer, JobRegistry registry, ObjectMapper mapper, TaskMetrics metrics, TaskSpans spans) {
        this.lifecycle = lifecycle;
        this.fetcher = fetcher;
        this.recorder = recorder;
        this.running = running;
        this.performer = performer;
        this.registry = registry;
        this.mapper = mapper;
        this.metrics = metrics;
        this.spans = spans;
    }

    @Override
    public void run() {
        Taken next = null;
        while (lifecycle.isAccepting()) {
            Taken taken = next;
            next = null;
            try {
                if (taken == null) {
                    taken = fetcher.take();
                }
                if (taken != null && lifecycle.isAccepting()) {
                    next = process(taken);
                }
                // A task taken after shutdown began stays in the active list; shutdown puts it back.
            } catch (RuntimeException e) {
                if (!lifecycle.isAccepting() || lifecycle.isAbandoning()) {
                    // Shutdown interrupted a Redis wait: whatever this processor held goes back with requeueOwn.
                    return;
                }
                // Not shutting down: a stray interrupt must not end this processor, or the worker loses a slot.
                Thread.interrupted();
                // A defect of ours, not an outage (those are retried inside): log it, keep the worker running.
                LOG.error("Processor failed; carrying on with the next task", e);
            } finally {
                if (taken != null) {
                    fetcher.release(taken.delivery());
                }
            }
        }
    }

    /** Runs one task; returns the next one when it was taken in the same round trip as this one's settlement. */
    private Taken process(Taken taken) {
        Delivery delivery = taken.delivery();
        TaskMessage message = TaskMessages.read(mapper, delivery.raw());
        if (message == null) {
            // Unreadable data: parked in the dead letters and acknowledged, it must never stop the loop.
            String id = recorder.deadLetterUnreadable(delivery, System.currentTimeMillis());
            TaskLog.of("dead-lettered", id, null, delivery.queue()).field("reason", "unreadable")
                    .detail("the queued data is not a task message").error(LOG);
            metrics.unreadable(delivery.queue());
            return null;
        }
        MDC.put("task_id", message.id());
        try {
            return attempt(delivery, message, taken.start());
        } finally {
            MDC.remove("task_id");
        }
    }

    private Taken attempt(Delivery delivery, TaskMessage message, TaskRecorder.Start started) {
        long startedAt = System.currentTimeMillis();
        TaskRecorder.Start start = started == null || started.unread() ? recorder.start(message, startedAt) : started;
        if (start.skip()) {
            // Finished already (a redelivery after its outcome was stored) or cancelled: acknowledge, never run.
            recorder.acknowledge(delivery);
            if (start.revoked()) {
                metrics.revoked(message.job(), message.queue());
            }
            TaskLog.of("skipped", message).detail("it finished or was cancelled before").info(LOG);
            return null;
        }
        TaskSpans.Attempt span = spans.begin(message, start.attempt(), startedAt);
        try {
            return runAndRecord(delivery, message, start, startedAt, span);
        } finally {
            span.close();
        }
    }

    /** Runs a started attempt and records its outcome, within its span. */
    private Taken runAndRecord(Delivery delivery, TaskMessage message, TaskRecorder.Start start, long startedAt,
            TaskSpans.Attempt span) {
        TaskLog startLine = TaskLog.of("STARTED", message).attempt(start.attempt());
        if (start.attempt() == 1) {
            // Later attempts waited for a retry or a sweep too: only the first one's wait is the queue's.
            startLine.waitMs(startedAt - message.created());
        }
        startLine.info(LOG);
        metrics.started(message.job(), message.queue(), start.queueWaitMs(startedAt));

        RunningTasks.Running task = running.begin(message, start.attempt());
        Outcome outcome;
        try {
            outcome = runWithinLimits(message, start.attempt(), task);
        } finally {
            running.end(task);
            // A cancellation may have interrupted this very thread before end(); the Redis calls below must not
            // see it, and none can come after end().
            Thread.interrupted();
        }
        if (lifecycle.isAbandoning()) {
            // Shutdown ran out of grace and interrupted the job: no outcome is stored, the task goes back.
            TaskLog.of("interrupted", message).attempt(start.attempt())
                    .durationMs(System.currentTimeMillis() - startedAt)
                    .detail("shutdown ran out of grace; the task goes back to its queue").warn(LOG);
            span.endedAs("interrupted", "Interrupted");
            return null;
        }

        long finishedAt = System.currentTimeMillis();
        Verdict verdict = decide(message, start, outcome, task, finishedAt);
        TaskRecorder.Finished finished = recorder.finish(delivery, message, start.attempt(), verdict, finishedAt,
                lifecycle.isAccepting());
        log(message, start.attempt(), verdict, finished.recorded(), finishedAt - startedAt);
        count(message, finished.recorded(), finishedAt - startedAt, finishedAt);
        span.endedAs(finished.recorded().name(), errorType(verdict));
        lifecycle.countFinished();
        return finished.next();
    }

    private static String errorType(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Succeeded s -> null;
            case Verdict.Retry r -> r.error().type();
            case Verdict.Failed f -> f.error().type();
        };
    }

    /**
     * Runs the job on this thread, or, when it has time limits, on a thread of its own that this one watches: at
     * the soft limit the job is interrupted so it can clean up; at the hard limit the attempt fails whatever the
     * job does.
     *
     * <p>Known limitation: the JVM cannot kill a thread, so a job that ignores interruption past its hard limit
     * keeps running on its virtual thread until it returns; its outcome is discarded.
     */
    private Outcome runWithinLimits(TaskMessage message, long attempt, RunningTasks.Running task) {
        JobContext context = new JobContext(message.id(), message.job(), message.tenant(), attempt, task);
        JobOptions options = registry.options(message.job());
        if (options.softTimeLimit() == null && options.hardTimeLimit() == null) {
            return performer.perform(message.payload(), context);
        }
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        // The job's own thread runs in the attempt's trace context too.
        Thread jobThread = Thread.ofVirtual().name("aurum-job-" + message.id())
                .start(Context.current().wrap((Runnable) () -> result.complete(
                        performer.perform(message.payload(), context))));
        task.runsOn(jobThread);
        long started = System.nanoTime();
        try {
            if (options.softTimeLimit() != null) {
                Outcome early = awaitUntil(result, started, options.softTimeLimit());
                if (early != null) {
                    return early;
                }
                task.passSoftLimit();
            }
            Outcome late = awaitUntil(result, started, options.hardTimeLimit());
            if (late != null) {
                return late;
            }
            jobThread.interrupt();
            return timeLimit("hard time limit of " + options.hardTimeLimit() + " exceeded");
        } catch (InterruptedException e) {
            // Shutdown out of grace, or a cancellation reaching this thread: pass it on to the job.
            jobThread.interrupt();
            return result.getNow(timeLimit("interrupted"));
        }
    }

    /** The job's outcome if it ends before {@code limit} after {@code startedNanos}; null if it does not. */
    private static Outcome awaitUntil(CompletableFuture<Outcome> result, long startedNanos, Duration limit)
            throws InterruptedException {
        if (limit == null) {
            try {
                return result.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the performer never fails", e);
            }
        }
        long left = limit.toNanos() - (System.nanoTime() - startedNanos);
        try {
            return result.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the performer never fails", e);
        }
    }

    private static Outcome timeLimit(String message) {
        return new Outcome.Failure(new TaskError("TimeLimitExceeded", message));
    }

    /** Success, another attempt, or failure for good, by the job's retry policy. */
    private Verdict decide(TaskMessage message, TaskRecorder.Start start, Outcome outcome, RunningTasks.Running task,
            long nowMs) {
        return switch (outcome) {
            case Outcome.Success s -> succeeded(s);
            case Outcome.Failure f -> {
                TaskError error = task.pastSoftLimit() && f.cause() != null
                        ? new TaskError("TimeLimitExceeded", "soft time limit exceeded: " + f.error().message())
                        : f.error();
                long failures = start.failures() + 1;
                JobOptions options = registry.options(message.job());
                boolean retry = f.cause() != null && !task.cancelled() && !task.pastSoftLimit()
                        && options.shouldRetry(f.cause(), failures);
                yield retry
                        ? new Verdict.Retry(error, nowMs + options.delayAfter(failures,
                                ThreadLocalRandom.current().nextDouble()).toMillis())
                        : new Verdict.Failed(error);
            }
        };
    }

    /** A result that cannot be written as JSON fails the task rather than the worker. */
    private Verdict succeeded(Outcome.Success success) {
        try {
            return new Verdict.Succeeded(mapper.writeValueAsString(success.result()));
        } catch (JsonProcessingException e) {
            // The serializer's own words name classes and features: logged for the job's authors, not shown.
            LOG.warnf("A job returned a result that is not writable as JSON: %s", e.getOriginalMessage());
            return new Verdict.Failed(new TaskError("InvalidResult",
                    "the job's result cannot be written as JSON (it holds a value that is not JSON data)"));
        }
    }

    /** Counts and times how the attempt was recorded; a fenced one is another attempt's to count. */
    private void count(TaskMessage message, TaskRecorder.Recorded recorded, long runMs, long finishedAtMs) {
        TaskState outcome = switch (recorded) {
            case FENCED -> null;
            case SUCCESS -> TaskState.SUCCESS;
            case RETRY -> TaskState.RETRY;
            case FAILURE -> TaskState.FAILURE;
            case REVOKED -> TaskState.REVOKED;
        };
        if (outcome != null) {
            metrics.ended(message.job(), message.queue(), outcome, runMs, finishedAtMs - message.created());
        }
    }

    private static void log(TaskMessage m, long attempt, Verdict verdict, TaskRecorder.Recorded recorded, long ms) {
        TaskLog line = TaskLog.of(recorded == TaskRecorder.Recorded.FENCED ? "dropped" : recorded.name(), m)
                .attempt(attempt).durationMs(ms);
        switch (recorded) {
            case FENCED -> line.detail("a newer attempt owns the task").warn(LOG);
            case SUCCESS, REVOKED -> line.info(LOG);
            case RETRY -> {
                Verdict.Retry retry = (Verdict.Retry) verdict;
                line.field("retry_at", Instant.ofEpochMilli(retry.retryAtMs()))
                        .field("error_type", retry.error().type()).detail(retry.error().message()).warn(LOG);
            }
            case FAILURE -> {
                TaskError error = verdict instanceof Verdict.Failed f ? f.error() : new TaskError("", "");
                // A task that fails for good is also kept in its queue's dead letters, by the same script.
                line.field("error_type", error.type()).detail(error.message()).error(LOG);
            }
        }
    }
}
