package io.aurum.offload.benchmark;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.aurum.offload.benchmark.OffloadService.Kind;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One benchmark run against the packaged services: the Redis limit, HTTP enqueue and status under wrk, Redis
 * round trips per task, the drain of a full queue, one-at-a-time end-to-end latency, and the services' memory
 * and startup. Phases run one after another on one private Redis, each on a flushed database unless it needs
 * the previous one's tasks.
 */
final class Driver {

    private static final String JOB = "noop";
    /**
     * How long wrk runs before each measured wrk run, unmeasured: the JIT compiles the request path meanwhile
     * (on two cores it needs well over ten seconds), as it would have in a service that has been up for a while.
     */
    private static final String WRK_WARMUP = "20s";
    /** The queue a second api fills while the warm worker waits on its own queue; then renamed onto it. */
    private static final String FILL_QUEUE = "bench-fill";
    private static final Duration REST_BEFORE_IDLE_SAMPLE = Duration.ofSeconds(3);
    private static final Duration SAMPLE_POLL = Duration.ofMillis(5);
    private static final Duration DRAIN_POLL = Duration.ofMillis(2);
    private static final Duration FILL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration E2E_JOB_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration E2E_PHASE_TIMEOUT = Duration.ofMinutes(5);
    private static final int E2E_MAX_FAILURES = 5;
    private static final double E2E_WAIT_S = 5;
    private static final int VERIFY_BATCH = 1000;
    private static final int WARMUP_TASKS = 20;

    private final BenchSettings settings;
    private final Figures figures;
    private final RedisProbe redis;
    private final Path workDir;
    private final Wrk wrk;

    Driver(BenchSettings settings, Figures figures, RedisProbe redis, Path workDir) {
        this.settings = settings;
        this.figures = figures;
        this.redis = redis;
        this.workDir = workDir;
        this.wrk = new Wrk(settings, workDir);
    }

    void run() {
        limit();
        try (OffloadService api = OffloadService.launch(Kind.API, settings, "api")) {
            double startup = api.awaitHttp();
            figures.emit("api_startup_ms", startup, 1, "-", Map.of("until", "http_answer"));
            ChildProcesses.pause(REST_BEFORE_IDLE_SAMPLE);
            figures.emit("api_rss_mb_idle", ResidentMemory.idleMib(api.pid()), 1, "-");

            ApiClient client = new ApiClient(api.baseUri());
            httpEnqueue(api, client);
            workerAtRest(client);
            String finished = roundTrips(client);
            httpStatus(client, finished);
            drainThenLatency(client);
        }
        figures.ratio("post_vs_redis_lpush", "post_req_per_s", "redis_lpush_ops_per_s");
        figures.ratio("get_vs_redis_rpop", "get_req_per_s", "redis_rpop_ops_per_s");
        figures.ratio("drain_vs_redis_rpop", "drain_jobs_per_s", "redis_rpop_ops_per_s");
    }

    /** The limit: what Redis itself does for a push and a pop, on this machine now. */
    private void limit() {
        redis.flushAll();
        Map<String, Double> rates = RedisBenchmark.run(settings.redisPort(), settings.redisBenchmarkRequests());
        for (String test : List.of("lpush", "rpop")) {
            figures.emit("redis_" + test + "_ops_per_s", rates.getOrDefault(test, Double.NaN),
                    settings.redisBenchmarkRequests(), RedisBenchmark.CLIENTS, Map.of("redis_benchmark_pipeline", 1));
        }
        redis.flushAll();
    }

    /** wrk POSTs with no worker running, as the fastapi peer measures its api: only accepting and queueing. */
    private void httpEnqueue(OffloadService api, ApiClient client) {
        redis.flushAll();
        URI url = client.jobUri(JOB);
        wrk.post(url, "{}", ApiClient.TENANT, WRK_WARMUP);
        redis.flushAll();

        ResidentMemory rss = ResidentMemory.sample(api.pid());
        Wrk.Result result;
        try {
            result = wrk.post(url, "{}", ApiClient.TENANT, settings.wrkDuration());
        } finally {
            rss.close();
        }
        Map<String, Object> details = result.details(settings.wrkDuration());
        details.put("queued", redis.length(DrainWatch.PENDING));
        details.put("worker", "stopped");
        emitWrk("post", result, details);
        figures.emit("api_rss_mb_load", rss.peakMib(), result.requests(), settings.wrkConnections(),
                Map.of("during", "wrk_post"));
        redis.flushAll();
    }

    /**
     * A worker that ran a few tasks, then was left alone for a few seconds: its memory at rest. The tasks also
     * load the worker's scripts into Redis (which keeps them across FLUSHALL), so that the round-trip sample
     * counts steady-state calls rather than each script's first load.
     */
    private void workerAtRest(ApiClient client) {
        redis.flushAll();
        for (int i = 0; i < WARMUP_TASKS; i++) {
            client.enqueue(JOB, "{}");
        }
        try (OffloadService worker = OffloadService.launch(Kind.WORKER, settings, "worker-rest")) {
            DrainWatch.Drained drained = DrainWatch.watch(redis, worker, WARMUP_TASKS, SAMPLE_POLL,
                    Duration.ofMinutes(2));
            if (drained.timedOut()) {
                throw new IllegalStateException(worker + " did not run " + WARMUP_TASKS + " tasks in 2 minutes");
            }
            ChildProcesses.pause(REST_BEFORE_IDLE_SAMPLE);
            figures.emit("worker_rss_mb_idle", ResidentMemory.idleMib(worker.pid()), 1, settings.concurrency(),
                    Map.of("after_tasks", WARMUP_TASKS));
        }
        redis.flushAll();
    }

    /**
     * Counts Redis commands per task with MONITOR and INFO commandstats, over three small samples run apart so
     * that each count belongs to one service: enqueues with no worker running, the runs of those tasks by a
     * worker started for them (counted from its first take until the queue is empty), then status reads of the
     * finished tasks with the worker stopped.
     *
     * @return the id of a finished task
     */
    private String roundTrips(ApiClient client) {
        redis.flushAll();
        List<String> own = redis.addresses();
        int n = settings.sampleTasks();
        List<String> ids = new ArrayList<>();

        Sample enqueue = sample("enqueue", own, false, () -> {
            for (int i = 0; i < n; i++) {
                ids.add(client.enqueue(JOB, "{}"));
            }
        });
        // The worker stops only after the sample's last snapshot: its shutdown is not part of running tasks.
        List<OffloadService> started = new ArrayList<>();
        Sample run;
        try {
            run = sample("task_run", own, true, () -> {
                started.add(OffloadService.launch(Kind.WORKER, settings, "worker-sample"));
                DrainWatch.Drained drained = DrainWatch.watch(redis, started.getFirst(), n, SAMPLE_POLL,
                        Duration.ofMinutes(2));
                if (drained.timedOut()) {
                    throw new IllegalStateException("The sample of " + n + " tasks did not drain in 2 minutes");
                }
            });
        } finally {
            started.forEach(OffloadService::close);
        }
        // One read first, so that loading the status script into Redis (once per server) is not counted.
        client.status(ids.getFirst(), 0);
        Sample status = sample("status", own, false, () -> ids.forEach(id -> {
            if (!client.status(id, 0).succeeded()) {
                throw new IllegalStateException("Task " + id + " of the round-trip sample did not succeed");
            }
        }));

        emitSample("enqueue", enqueue, n, 0, Map.of());
        // Each task is taken by exactly one successful take; the takes beyond those are processors blocking on the
        // emptied queue at the end of the sample (one each at most): idle polling, left out and shown.
        long idleTakes = Math.max(0, run.tally().byCommand().getOrDefault("blmove", 0L)
                + run.tally().byCommand().getOrDefault("lmove", 0L) - n);
        emitSample("task_run", run, n, idleTakes, Map.of("includes", "heartbeat/sweep/promoter",
                "idle_takes_excluded", idleTakes, "startup_excluded", run.tally().excludedAtStartup()));
        emitSample("status", status, n, 0, Map.of());
        return ids.getFirst();
    }

    /** A MONITOR capture and a command-statistics delta around {@code work}. */
    private record Sample(MonitorTally tally, long commands) {
    }

    private Sample sample(String phase, List<String> own, boolean fromFirstTake, Runnable work) {
        try (CommandMonitor monitor = CommandMonitor.attach(settings.redisPort(),
                workDir.resolve("monitor-" + phase + ".txt"))) {
            long sentBefore = redis.sent();
            long before = redis.commandsExecuted();
            work.run();
            long ownCommands = redis.sent() - sentBefore;
            long after = redis.commandsExecuted();
            MonitorTally tally = MonitorTally.of(monitor.finish(), own, fromFirstTake);
            long services = after - before - ownCommands;
            return new Sample(tally, services - tally.excludedAtStartup() - tally.connectionSetup());
        }
    }

    /** Prints the sample's figures per task; {@code idleTakes}, on the broker (database 0), are left out. */
    private void emitSample(String phase, Sample sample, int n, long idleTakes, Map<String, Object> extra) {
        MonitorTally tally = sample.tally();
        Map<String, Object> details = new LinkedHashMap<>();
        tally.roundTrips().forEach((db, count) -> details.put("db" + db,
                Figures.format((double) (count - (db == 0 ? idleTakes : 0)) / n)));
        details.put("lua", Figures.format((double) tally.totalScriptCommands() / n));
        details.put("by_cmd", tally.byCommand().entrySet().stream()
                .map(e -> e.getKey() + ":" + Figures.format((double) e.getValue() / n))
                .collect(Collectors.joining("/")));
        details.put("conn_setup", Figures.format((double) tally.connectionSetup() / n));
        details.put("counted", "monitor");
        details.putAll(extra);
        figures.emit("roundtrips_per_" + phase, (double) (tally.totalRoundTrips() - idleTakes) / n, n, 1, details);

        Map<String, Object> commands = new LinkedHashMap<>();
        commands.put("counted", "commandstats_less_conn_setup");
        commands.put("monitor_lines", Figures.format(
                (double) (tally.totalRoundTrips() + tally.totalScriptCommands() - idleTakes) / n));
        figures.emit("commands_per_" + phase, (double) (sample.commands() - idleTakes) / n, n, 1, commands);
    }

    /** wrk GETs of one finished task's status, no worker running. */
    private void httpStatus(ApiClient client, String taskId) {
        wrk.get(client.taskUri(taskId), ApiClient.TENANT, WRK_WARMUP);
        Wrk.Result result = wrk.get(client.taskUri(taskId), ApiClient.TENANT, settings.wrkDuration());
        Map<String, Object> details = result.details(settings.wrkDuration());
        details.put("state", "SUCCESS");
        emitWrk("get", result, details);
    }

    /**
     * Times how fast a warm worker empties a full queue, checks every task stored its result, then, with that
     * worker still running, measures one job at a time end to end.
     *
     * <p>The worker first drains {@code BENCH_WARMUP_N} jobs unmeasured, so the JIT has compiled its hot path
     * (the peers' runtimes need no such warm-up, or do it in their own boot). The measured jobs are then queued
     * through a second api whose default queue is another list, while the worker waits on its own, idle; one
     * RENAME puts them all on the worker's queue at once, so the drain starts from a full queue, as for the peers.
     */
    private void drainThenLatency(ApiClient client) {
        redis.flushAll();
        AtomicLong failures = new AtomicLong();
        try (OffloadService worker = OffloadService.launch(Kind.WORKER, settings, "worker-drain");
                OffloadService filler = OffloadService.launch(Kind.API, settings, "api-fill",
                        Map.of("AURUM_API_OFFLOAD_DEFAULT_QUEUE", FILL_QUEUE))) {
            figures.emit("worker_startup_ms", awaitRegistered(worker), 1, settings.concurrency(),
                    Map.of("until", "heartbeat_registered"));
            filler.awaitHttp();
            ApiClient fill = new ApiClient(filler.baseUri());
            List<String> warm = fill.enqueueMany(JOB, settings.drainWarmupJobs(), settings.enqueueInFlight(),
                    FILL_TIMEOUT, failures);
            DrainWatch.Drained warmUp = moveAndWatch(worker, warm.size());
            if (warmUp.timedOut()) {
                throw new IllegalStateException(worker + " did not drain its " + warm.size() + " warm-up jobs");
            }
            figures.emit("drain_warmup_jobs_per_s", warmUp.jobsPerSecond(), warm.size(), settings.concurrency(),
                    Map.of("jit", "cold"));
            redis.flushAll();

            long fillStart = System.nanoTime();
            List<String> ids = fill.enqueueMany(JOB, settings.drainJobs(), settings.enqueueInFlight(), FILL_TIMEOUT,
                    failures);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            long queued = redis.length(DrainWatch.pending(FILL_QUEUE));
            figures.emit("fill_enqueue_req_per_s", ids.size() / fillSeconds, settings.drainJobs(),
                    settings.enqueueInFlight(), Map.of("client", "jdk_httpclient", "failures", failures.get(),
                            "queued", queued, "jit", "cold"));
            if (queued != ids.size()) {
                Figures.note("queued " + queued + " but " + ids.size() + " enqueues answered 202");
            }
            ResidentMemory rss = ResidentMemory.sample(worker.pid());
            DrainWatch.Drained drained;
            try {
                drained = moveAndWatch(worker, queued);
            } finally {
                rss.close();
            }
            emitDrain(drained, queued, verify(ids));
            figures.emit("worker_rss_mb_load", rss.peakMib(), queued, settings.concurrency(),
                    Map.of("during", "drain"));
            filler.close();
            endToEnd(client);
        }
    }

    /** Milliseconds from the worker's launch until it announced itself in its queue's worker registry. */
    private double awaitRegistered(OffloadService worker) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (redis.broker(Request.cmd(Command.ZCARD).arg(DrainWatch.WORKERS)).toLong() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(worker + " did not register within 2 minutes");
            }
            worker.ensureAlive();
            ChildProcesses.pause(Duration.ofMillis(5));
        }
        return (System.nanoTime() - worker.launchedNanos()) / 1e6;
    }

    /** Puts the filled queue on the worker's queue in one step and watches the worker empty it. */
    private DrainWatch.Drained moveAndWatch(OffloadService worker, long queued) {
        redis.broker(Request.cmd(Command.RENAME).arg(DrainWatch.pending(FILL_QUEUE)).arg(DrainWatch.PENDING));
        return DrainWatch.watch(redis, worker, queued, DRAIN_POLL, settings.drainTimeout());
    }

    private void emitDrain(DrainWatch.Drained drained, long queued, long verified) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("done", queued - drained.left());
        details.put("status", drained.timedOut() ? "timeout" : "ok");
        details.put("drain_verified", verified);
        details.put("detect", "pending_and_active_empty");
        details.put("warmup", settings.drainWarmupJobs());
        figures.emit("drain_jobs_per_s", drained.jobsPerSecond(), queued, settings.concurrency(), details);
    }

    /** Reads every task record, pipelined, and counts those in SUCCESS with a stored result. */
    private long verify(List<String> ids) {
        long verified = 0;
        for (int from = 0; from < ids.size(); from += VERIFY_BATCH) {
            List<Request> batch = ids.subList(from, Math.min(ids.size(), from + VERIFY_BATCH)).stream()
                    .map(id -> Request.cmd(Command.HMGET).arg("aurum:{t:" + id + "}").arg("state").arg("result"))
                    .toList();
            for (Response fields : redis.resultsBatch(batch)) {
                Response state = fields.get(0);
                if (state != null && "SUCCESS".equals(state.toString()) && fields.get(1) != null) {
                    verified++;
                }
            }
        }
        return verified;
    }

    /** One job at a time: enqueue, then long-poll its status until SUCCESS; warm-ups first, not measured. */
    private void endToEnd(ApiClient client) {
        List<Double> samples = new ArrayList<>();
        long failures = 0;
        long polls = 0;
        long phaseDeadline = System.nanoTime() + E2E_PHASE_TIMEOUT.toNanos();
        for (int i = 0; i < settings.latencyWarmup() + settings.latencyJobs(); i++) {
            if (System.nanoTime() > phaseDeadline || failures >= E2E_MAX_FAILURES) {
                Figures.note("end-to-end phase cut short after " + i + " jobs (" + failures + " failures)");
                break;
            }
            long start = System.nanoTime();
            String id = client.enqueue(JOB, "{\"i\":" + i + "}");
            long deadline = start + E2E_JOB_TIMEOUT.toNanos();
            boolean done = false;
            while (!done && System.nanoTime() < deadline) {
                done = client.status(id, E2E_WAIT_S).succeeded();
                polls += i >= settings.latencyWarmup() ? 1 : 0;
            }
            double ms = (System.nanoTime() - start) / 1e6;
            if (i < settings.latencyWarmup()) {
                continue;
            }
            if (done) {
                samples.add(ms);
            } else {
                failures++;
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("failures", failures);
        details.put("wait", "long_poll_" + (int) E2E_WAIT_S + "s");
        details.put("gets_per_job", Figures.format((double) polls / Math.max(1, samples.size() + failures)));
        figures.emit("e2e_p50_ms", Percentile.of(samples, 50), samples.size(), settings.concurrency(), details);
        figures.emit("e2e_p99_ms", Percentile.of(samples, 99), samples.size(), settings.concurrency(), details);
    }

    private void emitWrk(String kind, Wrk.Result result, Map<String, Object> details) {
        figures.emit(kind + "_req_per_s", result.requestsPerSecond(), result.requests(), settings.wrkConnections(),
                details);
        figures.emit(kind + "_p50_ms", result.p50Ms(), result.requests(), settings.wrkConnections(), details);
        figures.emit(kind + "_p99_ms", result.p99Ms(), result.requests(), settings.wrkConnections(), details);
    }
}
