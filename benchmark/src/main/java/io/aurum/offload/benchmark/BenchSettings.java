package io.aurum.offload.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one benchmark run measures and where, read from the environment with the names the peers' harness uses
 * ({@code BENCH_REDIS_PORT}, {@code BENCH_N}, {@code BENCH_LAT_N}, {@code WRK_DURATION}, ...), so the same
 * variables steer every peer of one run.
 *
 * @param redisPort the private Redis the harness (or scripts/bench.sh) started; loopback only
 * @param drainJobs jobs queued at once for the warm worker to drain ({@code BENCH_N}, default 50000)
 * @param drainWarmupJobs jobs the worker drains first, unmeasured, to warm up ({@code BENCH_WARMUP_N}, 30000)
 * @param latencyJobs measured one-at-a-time jobs ({@code BENCH_LAT_N}, default 500)
 * @param latencyWarmup unmeasured jobs before those ({@code BENCH_LAT_WARMUP}, default 20)
 * @param wrkDuration length of each wrk run as wrk reads it ({@code WRK_DURATION}, default 20s)
 * @param wrkConnections wrk connections ({@code WRK_CONNECTIONS}, default 32)
 * @param wrkThreads wrk threads ({@code WRK_THREADS}, default 2)
 * @param run the harness's pass number, printed as {@code run=} ({@code BENCH_RUN}, default 1)
 * @param separateDatabases broker in database 0 and results in 1 ({@code BENCH_SEPARATE_DB=1}); default both in 0
 * @param workerConcurrency the worker's concurrency when {@code BENCH_CONC} is set; empty keeps its default (8)
 * @param redisBenchmarkRequests requests per redis-benchmark test ({@code REDISBENCH_N}, default 200000)
 * @param sampleTasks enqueues, task runs and status reads watched with MONITOR ({@code BENCH_RT_N}, default 200)
 * @param enqueueInFlight concurrent HTTP enqueues while filling the drain queue ({@code BENCH_ENQ_INFLIGHT}, 32)
 * @param drainTimeout longest wait for the drain ({@code BENCH_DRAIN_TIMEOUT_S}, default 300)
 * @param apiJar the packaged api ({@code BENCH_API_JAR})
 * @param workerJar the packaged worker ({@code BENCH_WORKER_JAR})
 * @param logDir where the services' logs go ({@code BENCH_LOG_DIR}, default a temporary folder)
 * @param pidDir where the pids of started services are kept for scripts/bench.sh's trap ({@code BENCH_PID_DIR})
 */
record BenchSettings(int redisPort, int drainJobs, int drainWarmupJobs, int latencyJobs, int latencyWarmup, String wrkDuration,
        int wrkConnections, int wrkThreads, String run, boolean separateDatabases, OptionalInt workerConcurrency,
        int redisBenchmarkRequests, int sampleTasks, int enqueueInFlight, Duration drainTimeout, Path apiJar,
        Path workerJar, Path logDir, Optional<Path> pidDir) {

    /** The worker's own default, used for {@code concurrency=} when {@code BENCH_CONC} is not set. */
    static final int DEFAULT_WORKER_CONCURRENCY = 8;

    static BenchSettings fromEnvironment(Map<String, String> env) {
        return new BenchSettings(
                integer(env, "BENCH_REDIS_PORT", 6390),
                integer(env, "BENCH_N", 50_000),
                integer(env, "BENCH_WARMUP_N", 30_000),
                integer(env, "BENCH_LAT_N", 500),
                integer(env, "BENCH_LAT_WARMUP", 20),
                env.getOrDefault("WRK_DURATION", "20s"),
                integer(env, "WRK_CONNECTIONS", 32),
                integer(env, "WRK_THREADS", 2),
                env.getOrDefault("BENCH_RUN", "1"),
                "1".equals(env.get("BENCH_SEPARATE_DB")),
                env.containsKey("BENCH_CONC") ? OptionalInt.of(integer(env, "BENCH_CONC", 0)) : OptionalInt.empty(),
                integer(env, "REDISBENCH_N", 200_000),
                integer(env, "BENCH_RT_N", 200),
                integer(env, "BENCH_ENQ_INFLIGHT", 32),
                Duration.ofSeconds(integer(env, "BENCH_DRAIN_TIMEOUT_S", 300)),
                requiredFile(env, "BENCH_API_JAR"),
                requiredFile(env, "BENCH_WORKER_JAR"),
                Path.of(env.getOrDefault("BENCH_LOG_DIR", System.getProperty("java.io.tmpdir"))),
                Optional.ofNullable(env.get("BENCH_PID_DIR")).map(Path::of));
    }

    int concurrency() {
        return workerConcurrency.orElse(DEFAULT_WORKER_CONCURRENCY);
    }

    int resultsDatabase() {
        return separateDatabases ? 1 : 0;
    }

    String redisUrl(int database) {
        return "redis://127.0.0.1:" + redisPort + "/" + database;
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }

    private static Path requiredFile(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || !Path.of(value).toFile().isFile()) {
            throw new IllegalArgumentException(name + " must name the packaged jar (scripts/bench.sh sets it), not '"
                    + value + "'");
        }
        return Path.of(value);
    }
}
