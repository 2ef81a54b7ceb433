package io.aurum.offload.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.task.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Counts what happens to tasks in this process and times it, in memory: recording costs no Redis call. The api
 * counts what it enqueues and revokes; the worker what it starts and how attempts end, with the time each task
 * waited in its queue, ran, and took from enqueue to its end.
 *
 * <p>Tags stay bounded: {@code job} is a registered job's name, or {@value #UNREGISTERED_JOB} for any other (a
 * message naming a job this worker does not know, an unreadable one), so a stray name never makes a series of its
 * own; {@code queue} is a queue tasks were put on; {@code outcome} one of four states. Never a task id or a tenant.
 */
@ApplicationScoped
public class TaskMetrics {

    /** The {@code job} tag of tasks whose job is not registered here. No job name can start with '_'. */
    public static final String UNREGISTERED_JOB = "_unregistered";

    /** Histogram buckets for Prometheus, from a no-op job to a long batch job. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
        Duration.ofHours(1)};

    private static final String ENQUEUED = "aurum.tasks.enqueued";
    private static final String STARTED = "aurum.tasks.started";
    private static final String SUCCEEDED = "aurum.tasks.succeeded";
    private static final String RETRIED = "aurum.tasks.retried";
    private static final String FAILED = "aurum.tasks.failed";
    private static final String REVOKED = "aurum.tasks.revoked";
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            ENQUEUED, "Tasks put on their queue",
            STARTED, "Attempts started by a worker",
            SUCCEEDED, "Tasks that ended SUCCESS",
            RETRIED, "Attempts that failed and earned another",
            FAILED, "Tasks that ended FAILURE",
            REVOKED, "Tasks that ended REVOKED");

    private final MeterRegistry meters;
    private final JobRegistry jobs;
    /** The meters of one job on one queue, found without building tags again for every task. */
    private final ConcurrentHashMap<String, JobMeters> byJobAndQueue = new ConcurrentHashMap<>();

    @Inject
    public TaskMetrics(MeterRegistry meters, JobRegistry jobs) {
        this.meters = meters;
        this.jobs = jobs;
    }

    /** Metrics that go nowhere, for clients built outside CDI (tests, tools). */
    public static TaskMetrics unrecorded(JobRegistry jobs) {
        return new TaskMetrics(new CompositeMeterRegistry(), jobs);
    }

    /** A task was put on its queue (an idempotent repeat that enqueued nothing is not counted). */
    public void enqueued(String job, String queue) {
        meters(job, queue).count(ENQUEUED);
    }

    /** A task was revoked before it ran: a cancel, a purge, or a worker that found it cancelled as it took it. */
    public void revoked(String job, String queue) {
        meters(job, queue).count(REVOKED);
    }

    /**
     * An attempt started.
     *
     * @param queueWaitMs how long the task waited on its queue since it could run, or negative when unknown (a task
     *                    handed on after its worker died): then no wait is recorded
     */
    public void started(String job, String queue, long queueWaitMs) {
        JobMeters m = meters(job, queue);
        m.count(STARTED);
        if (queueWaitMs >= 0) {
            m.queueWait().record(queueWaitMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * An attempt ended as recorded in Redis: {@code SUCCESS}, {@code RETRY}, {@code FAILURE} or {@code REVOKED}.
     *
     * @param runMs           how long the attempt ran
     * @param sinceEnqueuedMs how long since the task was enqueued; recorded when the task ended for good
     */
    public void ended(String job, String queue, TaskState outcome, long runMs, long sinceEnqueuedMs) {
        JobMeters m = meters(job, queue);
        switch (outcome) {
            case SUCCESS -> m.count(SUCCEEDED);
            case RETRY -> m.count(RETRIED);
            case FAILURE -> m.count(FAILED);
            case REVOKED -> m.count(REVOKED);
            default -> throw new IllegalArgumentException("not the end of an attempt: " + outcome);
        }
        m.run(outcome).record(runMs, TimeUnit.MILLISECONDS);
        if (outcome.isFinished()) {
            m.enqueueToFinish(outcome).record(Math.max(0, sinceEnqueuedMs), TimeUnit.MILLISECONDS);
        }
    }

    /** A message no one can read was dead-lettered: a failure of no known job. */
    public void unreadable(String queue) {
        meters(UNREGISTERED_JOB, queue).count(FAILED);
    }

    private JobMeters meters(String job, String queue) {
        String tag = jobs.contains(job) ? job : UNREGISTERED_JOB;
        return byJobAndQueue.computeIfAbsent(tag + '\n' + queue, key -> new JobMeters(meters, tag, queue));
    }

    /** The meters of one job and queue, each registered when first used, so a service shows only what it counts. */
    private static final class JobMeters {

        private final MeterRegistry meters;
        private final String job;
        private final String queue;
        private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<TaskState, Timer> run = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<TaskState, Timer> enqueueToFinish = new ConcurrentHashMap<>();
        private volatile Timer queueWait;

        JobMeters(MeterRegistry meters, String job, String queue) {
            this.meters = meters;
            this.job = job;
            this.queue = queue;
        }

        void count(String name) {
            counters.computeIfAbsent(name, n -> Counter.builder(n).description(DESCRIPTIONS.get(n))
                    .tag("job", job).tag("queue", queue).register(meters)).increment();
        }

        Timer queueWait() {
            Timer timer = queueWait;
            if (timer == null) {
                timer = timer("aurum.task.queue.wait", "Time a task waited on its queue before its attempt started, "
                        + "from when it could run (enqueue, not_before or retry_at)").register(meters);
                queueWait = timer;
            }
            return timer;
        }

        Timer run(TaskState outcome) {
            return run.computeIfAbsent(outcome, o -> timer("aurum.task.run", "Time an attempt ran, by its outcome")
                    .tag("outcome", tagValue(o)).register(meters));
        }

        Timer enqueueToFinish(TaskState outcome) {
            return enqueueToFinish.computeIfAbsent(outcome, o -> timer("aurum.task.enqueue.to.finish",
                    "Time from enqueue to the task's final state, delays and retries included")
                    .tag("outcome", tagValue(o)).register(meters));
        }

        private Timer.Builder timer(String name, String description) {
            return Timer.builder(name).description(description).tag("job", job).tag("queue", queue)
                    .serviceLevelObjectives(BUCKETS);
        }

        private static String tagValue(TaskState outcome) {
            return outcome.name().toLowerCase(Locale.ROOT);
        }
    }
}
