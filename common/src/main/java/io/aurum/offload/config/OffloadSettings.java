package io.aurum.offload.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * Every setting of Aurum Offload, shared by the api and the worker (the Java side of the runbook's
 * {@code settings.async_offload}).
 *
 * <p>Keys live under {@code aurum.api.offload}; each is also read from its environment name, for example
 * {@code aurum.api.offload.worker.concurrency} from {@code AURUM_API_OFFLOAD_WORKER_CONCURRENCY}. The Celery-era
 * names ({@code AURUM_CELERY_BROKER_URL}, {@code AURUM_CELERY_RESULT_BACKEND},
 * {@code AURUM_CELERY_TASK_DEFAULT_QUEUE}) are fallbacks, resolved by SmallRye Config property expressions in the
 * defaults below. Values are validated at startup: a bad one stops the service with a message naming the key.
 */
@ConfigMapping(prefix = OffloadSettings.PREFIX)
public interface OffloadSettings {

    String PREFIX = "aurum.api.offload";

    /** Pattern of a Redis connection string accepted for the broker and the result backend. */
    String REDIS_URL = "^(redis|rediss|unix)://[^\\s]+$";

    /** Pattern of a queue name: it becomes part of Redis key names, so no braces, spaces or colons. */
    String QUEUE_NAME = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    /** What {@link #QUEUE_NAME} allows, in words, for messages. */
    String QUEUE_NAME_RULE = "must be 1 to 64 letters, digits, '_', '.' or '-'";

    /** Use the real Redis pipeline. {@code false} means the stub, even if Redis is reachable. Default false. */
    @WithDefault("false")
    boolean enabled();

    /** Force the stub whatever else is set. Default true in the dev profile, false otherwise. */
    @WithDefault("false")
    boolean useStub();

    /**
     * Redis holding the queues, as {@code redis://[:password@]host:port/db}. Default
     * {@code redis://localhost:6379/0}, or {@code AURUM_CELERY_BROKER_URL} when that is set.
     */
    @WithDefault("${aurum.celery.broker-url:redis://localhost:6379/0}")
    @Pattern(regexp = REDIS_URL, message = "must be a Redis URL such as redis://host:6379/0")
    String celeryBrokerUrl();

    /**
     * Redis holding task states and results; may be another database or server than the broker. Default
     * {@code redis://localhost:6379/1}, or {@code AURUM_CELERY_RESULT_BACKEND} when that is set.
     */
    @WithDefault("${aurum.celery.result-backend:redis://localhost:6379/1}")
    @Pattern(regexp = REDIS_URL, message = "must be a Redis URL such as redis://host:6379/1")
    String celeryResultBackend();

    /**
     * Password sent with Redis {@code AUTH} on the broker and the result backend, kept apart from their URLs so that
     * the URLs can sit in a ConfigMap and the password in a Secret ({@code AURUM_API_OFFLOAD_REDIS_PASSWORD}). A
     * password written in a URL wins over this one for that URL. For a Redis ACL user, name it in the URL's query,
     * {@code redis://host:6379/0?user=NAME}, and it is sent with this password. Default: unset, no {@code AUTH}
     * unless a URL carries a password.
     */
    Optional<String> redisPassword();

    /** Queue used when an enqueue names none. Default {@code default}, or {@code AURUM_CELERY_TASK_DEFAULT_QUEUE}. */
    @WithDefault("${aurum.celery.task-default-queue:default}")
    @Pattern(regexp = QUEUE_NAME, message = QUEUE_NAME_RULE)
    String defaultQueue();

    /** How long a finished task's result and error stay readable. Default one day. */
    @WithDefault("1d")
    @DurationMin(millis = 1)
    Duration resultTtl();

    /**
     * How long, after its result expired, a task still answers {@code 410 Gone} to its owner rather than
     * {@code 404}. Default seven days.
     */
    @WithDefault("7d")
    @DurationMin(millis = 0)
    Duration expiredMarkerTtl();

    /**
     * How long an {@code Idempotency-Key} is remembered: a repeat within it returns the first task. Default one
     * day.
     */
    @WithDefault("1d")
    @DurationMin(millis = 1)
    Duration idempotencyWindow();

    /** Most dead letters kept per queue; the oldest go first. Default 10000. */
    @WithDefault("10000")
    @Min(1)
    int deadLetterMax();

    /**
     * How many of the latest tasks of each queue the admin endpoints and the dashboard can list: each enqueue adds
     * the task's id to a capped index beside the records, and the oldest beyond this number are dropped. {@code 0}
     * keeps no index; at most 100000. Default 1000.
     */
    @WithDefault("1000")
    @Min(0)
    @Max(100000)
    int recentTasksMax();

    /** Longest wait for one Redis command before the call fails as unavailable. Default 5 seconds. */
    @WithDefault("5s")
    @DurationMin(millis = 1)
    Duration redisTimeout();

    /** Register the diagnostic jobs {@code sleep} and {@code fail} used by the end-to-end tests. Default false. */
    @WithDefault("false")
    boolean demoJobs();

    /**
     * Record OpenTelemetry spans (the api's requests and enqueues, each task's wait and run) and send them to the
     * OTLP collector at {@code quarkus.otel.exporter.otlp.endpoint}, sampling new traces at the ratio
     * {@code quarkus.otel.traces.sampler.arg} and following a caller's sampling decision. Off, nothing is recorded or
     * sent, but the trace context still travels from the caller through the task to its job, and log lines carry
     * its trace id. Default false.
     */
    @WithDefault("false")
    boolean traceExport();

    /** The stub backend, used when {@link #enabled()} is false or {@link #useStub()} is true. */
    @Valid
    Stub stub();

    /** Settings read by the worker service only. */
    @Valid
    Worker worker();

    /** Settings read by the api service only. */
    @Valid
    Api api();

    /** The metrics both services publish at {@code /q/metrics}. */
    @Valid
    Metrics metrics();

    /** The health checks both services answer at {@code /q/health}. */
    @Valid
    Health health();

    /** The in-memory stub backend. */
    interface Stub {

        /**
         * Run registered jobs in this process, like Celery's eager mode, so that results appear without Redis.
         * When false the stub only records tasks, which stay PENDING. Default false.
         */
        @WithDefault("false")
        boolean eager();

        /** Most tasks the stub keeps in memory; the oldest go first. Default 10000. */
        @WithDefault("10000")
        @Min(1)
        int maxTasks();
    }

    /** The worker: how many jobs it runs at once, which queues it takes from, and its liveness timings. */
    interface Worker {

        /** Jobs run at once by one worker process, each on its own virtual thread. Default 8. */
        @WithDefault("8")
        @Min(1)
        @Max(1024)
        int concurrency();

        /** Queues consumed, in priority order. Default: the {@code default-queue} alone. */
        Optional<List<@Pattern(regexp = QUEUE_NAME, message = QUEUE_NAME_RULE) String>> queues();

        /** How often a worker renews its heartbeat. Must be well under the visibility timeout. Default 5 seconds. */
        @WithDefault("5s")
        @DurationMin(millis = 10)
        Duration heartbeatInterval();

        /**
         * How long after its last heartbeat a worker counts as dead, and its tasks go back to their queue.
         * A running task is never handed out again while its worker keeps heartbeating. Default 30 seconds.
         */
        @WithDefault("30s")
        @DurationMin(millis = 100)
        Duration visibilityTimeout();

        /** How often each worker looks for dead workers and requeues their tasks. Default 10 seconds. */
        @WithDefault("10s")
        @DurationMin(millis = 10)
        Duration sweepInterval();

        /** How often due retries and delayed tasks are moved onto their queue. Default 1 second. */
        @WithDefault("1s")
        @DurationMin(millis = 10)
        Duration delayPollInterval();

        /** How often a worker checks whether the tasks it runs were cancelled. Default 1 second. */
        @WithDefault("1s")
        @DurationMin(millis = 10)
        Duration cancelCheckInterval();

        /** Longest a blocking take from Redis waits, so that shutdown is noticed promptly. Default 1 second. */
        @WithDefault("1s")
        @DurationMin(millis = 10)
        Duration pollTimeout();

        /**
         * On SIGTERM, how long in-flight tasks may run on before they are interrupted and put back on their
         * queue. Keep the pod's termination grace above it. Default 25 seconds.
         */
        @WithDefault("25s")
        @DurationMin(millis = 0)
        Duration shutdownGrace();
    }

    /**
     * Periodic jobs (the runbook's beat) by schedule name, for example
     * {@code aurum.api.offload.schedules.nightly-report.job=heavy_compute} with
     * {@code aurum.api.offload.schedules.nightly-report.cron=0 0 2 * * ?}. Every worker replica fires every schedule;
     * each slot is enqueued once across all of them. Read by the worker only, which refuses to start when one is
     * invalid. Default: none.
     */
    Map<String, Schedule> schedules();

    /** One periodic job: what to enqueue, and when. Give exactly one of {@code cron} and {@code every}. */
    interface Schedule {

        /** The job to enqueue; the worker must know it. Required. */
        String job();

        /**
         * When to fire, as a Quartz-style cron with seconds as quarkus-scheduler reads it, such as
         * {@code 0 0 2 * * ?} (02:00 every day, in the worker's time zone). Mutually exclusive with {@code every}.
         */
        Optional<String> cron();

        /** How often to fire, such as {@code 30s} or {@code 5m}; slots align to the epoch. Excludes {@code cron}. */
        Optional<Duration> every();

        /** The job's input: a JSON object written as text. Default {@code {}}. */
        @WithDefault("{}")
        String payload();

        /** The queue to put each task on. Default: the {@code default-queue}. */
        Optional<String> queue();

        /** The tenant owning the tasks, who alone may read or cancel them. Default: none (empty). */
        Optional<String> tenant();
    }

    /** The HTTP api. */
    interface Api {

        /** Largest accepted job payload; a larger one is refused with 413. Default 1 MiB. */
        @WithDefault("1M")
        MemorySize maxPayloadSize();

        /** Deepest nesting of objects and arrays accepted in a payload. Default 64. */
        @WithDefault("64")
        @Min(1)
        int maxPayloadDepth();

        /** The {@code Retry-After} given while a task is not finished and when Redis is unreachable. Default 1s. */
        @WithDefault("1s")
        @DurationMin(millis = 0)
        Duration retryAfter();

        /**
         * Password of the {@code admin} user, the only one allowed on the admin endpoints ({@code /v1/admin/...},
         * HTTP basic auth). Unset by default, and then the admin endpoints refuse everyone: there is no default
         * password. Ignored by the worker.
         */
        Optional<String> adminPassword();

        /**
         * Most status reads with {@code ?wait=} that one api process holds open at once; a read beyond it answers at
         * once, as without {@code wait}. {@code 0} turns waiting off. Default 10000. Ignored by the worker.
         */
        @WithDefault("10000")
        @Min(0)
        int maxWaiting();
    }

    /** Metrics. */
    interface Metrics {

        /**
         * How old the Redis-wide gauges (queue depth, delayed tasks, dead letters, workers alive) may be when
         * scraped. A scrape reads Redis (one pipelined round trip) only when the last read is older than this, so
         * any number of scrapers cost at most one read per period, and a process nobody scrapes reads nothing.
         * Default 5 seconds.
         */
        @WithDefault("5s")
        @DurationMin(millis = 0)
        Duration gaugeMaxAge();
    }

    /** Health checks. */
    interface Health {

        /**
         * Longest wait for Redis to answer the readiness check's {@code PING}; slower counts as down. Keep it under
         * the probe's own timeout (Kubernetes' default is one second). Default 500 milliseconds.
         */
        @WithDefault("500ms")
        @DurationMin(millis = 1)
        Duration redisTimeout();
    }
}
