package io.aurum.offload.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One packaged service ({@code quarkus-run.jar}) started as its own process with the variables an operator sets:
 * the Redis pipeline, the demo jobs (for {@code noop}), and the per-task log lines silenced, as the peers run
 * their workers at WARNING. Each listens on a free loopback port: the api for its clients, a worker for its health
 * and metrics, so that several workers, and the developer's own on 8081, never clash.
 */
final class OffloadService implements AutoCloseable {

    enum Kind {
        API, WORKER
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(40);

    private final Kind kind;
    private final Process process;
    private final OptionalInt httpPort;
    private final Optional<Path> pidFile;
    private final long launchedNanos;

    private OffloadService(Kind kind, Process process, OptionalInt httpPort, Optional<Path> pidFile,
            long launchedNanos) {
        this.kind = kind;
        this.process = process;
        this.httpPort = httpPort;
        this.pidFile = pidFile;
        this.launchedNanos = launchedNanos;
    }

    /** Starts the service and returns at once; {@code label} names its log file. */
    static OffloadService launch(Kind kind, BenchSettings settings, String label) {
        return launch(kind, settings, label, Map.of());
    }

    /** {@link #launch(Kind, BenchSettings, String)} with settings of its own on top of the run's. */
    static OffloadService launch(Kind kind, BenchSettings settings, String label, Map<String, String> own) {
        Path jar = kind == Kind.API ? settings.apiJar() : settings.workerJar();
        Path log = settings.logDir().resolve("aurum-" + label + ".run" + settings.run() + ".log");
        ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AURUM_") || name.startsWith("QUARKUS_"));
        env.putAll(environment(settings));
        env.putAll(own);
        OptionalInt port = OptionalInt.of(ChildProcesses.freeLoopbackPort());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port.getAsInt()));
        long launched = System.nanoTime();
        Process process = ChildProcesses.start(builder);
        Optional<Path> pidFile = ChildProcesses.remember(settings.pidDir(), "aurum-" + label, process);
        return new OffloadService(kind, process, port, pidFile, launched);
    }

    static Map<String, String> environment(BenchSettings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AURUM_API_OFFLOAD_ENABLED", "true");
        env.put("AURUM_API_OFFLOAD_CELERY_BROKER_URL", settings.redisUrl(0));
        env.put("AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND", settings.redisUrl(settings.resultsDatabase()));
        env.put("AURUM_API_OFFLOAD_DEMO_JOBS", "true");
        env.put("QUARKUS_LOG_CATEGORY__IO_AURUM_OFFLOAD__LEVEL", "WARN");
        settings.workerConcurrency().ifPresent(c -> env.put("AURUM_API_OFFLOAD_WORKER_CONCURRENCY",
                Integer.toString(c)));
        return env;
    }

    /**
     * Waits until the api answers HTTP (any answer: the probe has no tenant) and returns the milliseconds since
     * launch.
     */
    double awaitHttp() {
        HttpClient probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(baseUri().resolve("/v1/tasks/not-a-task"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ensureAlive();
            try {
                probe.send(request, HttpResponse.BodyHandlers.discarding());
                return millisSinceLaunch();
            } catch (IOException e) {
                ChildProcesses.pause(Duration.ofMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the api", e);
            }
        }
        throw new IllegalStateException(this + " did not answer HTTP within " + START_TIMEOUT);
    }

    void ensureAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(this + " exited with " + process.exitValue() + "; see its log");
        }
    }

    double millisSinceLaunch() {
        return (System.nanoTime() - launchedNanos) / 1e6;
    }

    long launchedNanos() {
        return launchedNanos;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort.orElseThrow() + "/");
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, as an orchestrator stops it; SIGKILL if it has not exited within the grace. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    Figures.note(this + " ignored SIGTERM for " + STOP_GRACE + "; killing it");
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            ChildProcesses.forget(pidFile);
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " pid " + process.pid();
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
