package io.aurum.offload.worker;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.aurum.offload.job.TaskControl;
import io.aurum.offload.task.TaskLog;
import io.aurum.offload.task.TaskMessage;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The tasks this worker is running, each with the thread that runs its job, so that a cancellation or a soft
 * time limit can reach it. Cancellations are noticed by polling the running tasks' records every
 * {@code cancel-check-interval}: one round trip for all of them, none while the worker is idle.
 */
@ApplicationScoped
class RunningTasks {

    private static final Logger LOG = Logger.getLogger(RunningTasks.class);

    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
    private final TaskRecorder recorder;

    @Inject
    RunningTasks(TaskRecorder recorder) {
        this.recorder = recorder;
    }

    /** One running attempt, and the {@link TaskControl} its job sees. */
    final class Running implements TaskControl {

        private final TaskMessage message;
        private final String taskId;
        private final long attempt;
        private volatile Thread thread;
        private volatile boolean cancelled;
        private volatile boolean pastSoftLimit;

        private Running(TaskMessage message, long attempt, Thread thread) {
            this.message = message;
            this.taskId = message.id();
            this.attempt = attempt;
            this.thread = thread;
        }

        void runsOn(Thread jobThread) {
            this.thread = jobThread;
        }

        /** Asks the job to stop because it ran past its soft time limit. */
        void passSoftLimit() {
            pastSoftLimit = true;
            thread.interrupt();
        }

        boolean cancelled() {
            return cancelled;
        }

        boolean pastSoftLimit() {
            return pastSoftLimit;
        }

        @Override
        public void reportProgress(JsonNode progress) {
            recorder.reportProgress(taskId, attempt, progress);
        }

        @Override
        public boolean stopRequested() {
            return cancelled || pastSoftLimit;
        }

        private boolean ended;

        private synchronized void cancel() {
            cancelled = true;
            if (!ended) {
                TaskLog.of("cancel-received", message).attempt(attempt).detail("interrupting its job").info(LOG);
                thread.interrupt();
            }
        }

        /** From here on no cancellation interrupts the thread, which goes back to talking to Redis. */
        private synchronized void end() {
            ended = true;
        }
    }

    Running begin(TaskMessage message, long attempt) {
        Running task = new Running(message, attempt, Thread.currentThread());
        running.put(message.id(), task);
        return task;
    }

    /** Forgets the task; afterwards its thread is never interrupted on its behalf. */
    void end(Running task) {
        task.end();
        running.remove(task.taskId, task);
    }

    /** How many tasks run right now. */
    int count() {
        return running.size();
    }

    @Scheduled(every = "${aurum.api.offload.worker.cancel-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkCancellations() {
        if (running.isEmpty()) {
            return;
        }
        List<String> cancelled;
        try {
            cancelled = recorder.cancelled(List.copyOf(running.keySet()));
        } catch (RuntimeException e) {
            // Redis away: the outage is logged by the recorder; the next round will see the cancellations.
            return;
        }
        for (String id : cancelled) {
            Running task = running.get(id);
            if (task != null && !task.cancelled) {
                task.cancel();
            }
        }
    }
}
