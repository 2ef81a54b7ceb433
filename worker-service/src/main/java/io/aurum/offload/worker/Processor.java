package io.aurum.offload.worker;

import java.io.IOException;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.job.JobContext;
import io.aurum.offload.job.JobPerformer;
import io.aurum.offload.job.Outcome;
import io.aurum.offload.task.TaskMessage;

/**
 * One of the worker's processors, each on its own virtual thread: take a task, mark it started, run it, store its
 * outcome and acknowledge it; then the next.
 */
final class Processor implements Runnable {

    private static final Logger LOG = Logger.getLogger(Processor.class);

    private final TaskFetcher fetcher;
    private final TaskRecorder recorder;
    private final JobPerformer performer;
    private final ObjectMapper mapper;
    private final WorkerLifecycle lifecycle;

    Processor(TaskFetcher fetcher, TaskRecorder recorder, JobPerformer performer, ObjectMapper mapper,
            WorkerLifecycle lifecycle) {
        this.fetcher = fetcher;
        this.recorder = recorder;
        this.performer = performer;
        this.mapper = mapper;
        this.lifecycle = lifecycle;
    }

    @Override
    public void run() {
        while (lifecycle.isAccepting()) {
            try {
                Delivery delivery = fetcher.take();
                if (delivery != null && lifecycle.isAccepting()) {
                    process(delivery);
                }
                // A task taken after shutdown began stays in the active list; shutdown puts it back.
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || lifecycle.isAbandoning()) {
                    // Shutdown interrupted a Redis wait: whatever this processor held goes back with requeueOwn.
                    return;
                }
                // A defect of ours, not an outage (those are retried inside): log it, keep the worker running.
                LOG.error("Processor failed; carrying on with the next task", e);
            }
        }
    }

    private void process(Delivery delivery) {
        TaskMessage message = read(delivery);
        if (message == null) {
            // Unreadable data: parked in the dead letters and acknowledged, it must never stop the loop.
            fetcher.deadLetter(delivery);
            LOG.errorf("Unreadable task data on queue %s moved to its dead letters", delivery.queue());
            return;
        }
        MDC.put("task_id", message.id());
        try {
            run(delivery, message);
        } finally {
            MDC.remove("task_id");
        }
    }

    private void run(Delivery delivery, TaskMessage message) {
        long startedAt = System.currentTimeMillis();
        long attempt = recorder.start(message, startedAt);
        if (attempt < 0) {
            // Redelivered after its outcome was stored (the worker died before acknowledging): acknowledge only.
            recorder.acknowledge(delivery);
            LOG.infof("task already finished id=%s job=%s queue=%s; acknowledged the redelivery", message.id(),
                    message.job(), message.queue());
            return;
        }
        LOG.infof("task STARTED id=%s job=%s queue=%s attempt=%d", message.id(), message.job(), message.queue(),
                attempt);

        Outcome outcome = performer.perform(message.payload(),
                new JobContext(message.id(), message.job(), message.tenant(), attempt));
        if (lifecycle.isAbandoning()) {
            // Shutdown ran out of grace and interrupted the job: no outcome is stored, the task goes back.
            LOG.infof("task interrupted by shutdown id=%s job=%s attempt=%d; it goes back to queue %s",
                    message.id(), message.job(), attempt, message.queue());
            return;
        }

        long finishedAt = System.currentTimeMillis();
        boolean stored = recorder.finish(delivery, message, attempt, outcome, finishedAt);
        logOutcome(message, attempt, outcome, stored, finishedAt - startedAt);
        lifecycle.countFinished();
    }

    private TaskMessage read(Delivery delivery) {
        try {
            TaskMessage message = mapper.readValue(delivery.raw().getBytes(), TaskMessage.class);
            boolean complete = message.id() != null && message.job() != null && message.queue() != null
                    && message.payload() != null;
            return complete ? message : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void logOutcome(TaskMessage message, long attempt, Outcome outcome, boolean stored, long ms) {
        if (!stored) {
            LOG.warnf("task outcome dropped id=%s job=%s attempt=%d duration_ms=%d: a newer attempt owns the task",
                    message.id(), message.job(), attempt, ms);
            return;
        }
        switch (outcome) {
            case Outcome.Success s -> LOG.infof("task SUCCESS id=%s job=%s queue=%s attempt=%d duration_ms=%d",
                    message.id(), message.job(), message.queue(), attempt, ms);
            case Outcome.Failure f -> LOG.errorf("task FAILURE id=%s job=%s queue=%s attempt=%d duration_ms=%d "
                    + "error=%s: %s", message.id(), message.job(), message.queue(), attempt, ms, f.error().type(),
                    f.error().message());
        }
    }
}
