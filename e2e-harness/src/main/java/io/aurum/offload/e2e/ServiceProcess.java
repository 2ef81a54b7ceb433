package io.aurum.offload.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One packaged service running as its own process, as Quarkus last built it: the jar started with the test JVM's
 * {@code java}, or the native executable (built with {@code -Dnative}). It gets an explicit environment, a free
 * loopback HTTP port, and its output goes to a log file under {@code target/e2e-logs/}. Stopped with SIGTERM
 * ({@link #stop}) or SIGKILL ({@link #kill}); {@link #close()} makes sure it is gone whatever happened.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The two services, each found through a system property the test's pom sets to the service's build folder. */
    public enum Service {
        API("aurum.api.build-dir"), WORKER("aurum.worker.build-dir");

        private final String buildDirProperty;

        Service(String buildDirProperty) {
            this.buildDirProperty = buildDirProperty;
        }

        /**
         * The command that starts the service as Quarkus built it, read from the build's
         * {@code quarkus-artifact.properties} the way {@code @QuarkusIntegrationTest} reads it for the service it
         * launches: {@code type=jar} runs the jar on this JVM's {@code java}, {@code type=native} the executable.
         */
        List<String> command() {
            Path buildDir = buildDir();
            Properties artifact = new Properties();
            try (var in = Files.newInputStream(buildDir.resolve("quarkus-artifact.properties"))) {
                artifact.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("No Quarkus build in " + buildDir + ": run through Maven "
                        + "(./mvnw -B verify -pl api-service,e2e-tests -am), which packages the services first", e);
            }
            Path path = buildDir.resolve(artifact.getProperty("path", ""));
            return switch (artifact.getProperty("type", "")) {
                case "jar" -> List.of(javaCommand(), "-jar", path.toString());
                case "native" -> List.of(path.toString());
                default -> throw new IllegalStateException("%s in %s was built as '%s': package it as a jar, or "
                        .formatted(this, buildDir, artifact.getProperty("type")) + "as a native executable (-Dnative)");
            };
        }

        private Path buildDir() {
            String dir = System.getProperty(buildDirProperty);
            if (dir == null) {
                throw new IllegalStateException("System property " + buildDirProperty + " is not set: run through "
                        + "Maven, whose failsafe configuration names each service's build folder");
            }
            return Path.of(dir);
        }
    }

    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOG_DIR = Path.of("target", "e2e-logs");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Processes still running when the test JVM exits (a timeout, an interrupted build) are killed then. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "e2e-service-reaper"));
    }

    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private final Service service;
    private final Process process;
    private final Path log;
    private final int httpPort;

    private ServiceProcess(Service service, Process process, Path log, int httpPort) {
        this.service = service;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * Starts the service and returns without waiting for it, for tests that expect it to fail. Each service gets a
     * free loopback HTTP port (the worker only listens once it has an HTTP surface), so several run side by side.
     * Inherited {@code AURUM_*} and {@code QUARKUS_*} variables are removed, so only {@code env} configures it.
     */
    public static ServiceProcess launch(Service service, Map<String, String> env, String label) {
        int port = FreePorts.loopback();
        Path log = LOG_DIR.resolve("%03d-%s-%s.log".formatted(SEQUENCE.incrementAndGet(), label,
                service.name().toLowerCase()));
        List<String> command = service.command();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AURUM_") || name.startsWith("QUARKUS_"));
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.putAll(env);
        try {
            Files.createDirectories(LOG_DIR);
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            return new ServiceProcess(service, process, log, port);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + service + " with " + command, e);
        }
    }

    /** {@code http://127.0.0.1:PORT/}, where the service listens for HTTP. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort + "/");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM, as a container runtime or systemd does. */
    public void stop() {
        process.destroy();
    }

    /** Sends SIGKILL: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to exit and returns its exit code, or empty if it still runs after {@code atMost}. */
    public OptionalInt awaitExit(Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** Everything the process wrote so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public Path logFile() {
        return log;
    }

    /** Stops the process if it still runs: SIGTERM first, SIGKILL if it has not exited in time. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (awaitExit(Duration.ofSeconds(30)).isEmpty()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    @Override
    public String toString() {
        return service + " pid " + process.pid() + " (log " + log + ")";
    }

    /** Waits until the service is up (the api answers HTTP, the worker logged that it started); returns it. */
    public ServiceProcess awaitUp() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited with " + process.exitValue() + " while starting:\n"
                        + output());
            }
            if (isUp()) {
                return this;
            }
            pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException(this + " did not start within " + START_TIMEOUT + ":\n" + output());
    }

    private boolean isUp() {
        if (service == Service.WORKER) {
            return output().lines().anyMatch(line -> line.matches(".*Worker \\S+ started with.*"));
        }
        HttpRequest probe = HttpRequest.newBuilder(baseUri().resolve("/v1/tasks/not-a-task"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            PROBE.send(probe, HttpResponse.BodyHandlers.discarding());
            // Any HTTP answer (a problem for the missing tenant) means the server is serving.
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + this, e);
        }
    }

    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
