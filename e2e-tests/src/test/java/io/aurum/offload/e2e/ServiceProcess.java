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
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One packaged service ({@code quarkus-run.jar}) running as its own process: started with the test JVM's
 * {@code java}, an explicit environment and its output in a log file under {@code target/e2e-logs/}. Stopped with
 * SIGTERM ({@link #stop}) or SIGKILL ({@link #kill}); {@link #close()} makes sure it is gone whatever happened.
 */
final class ServiceProcess implements AutoCloseable {

    /** The two services, each found through the system property the e2e pom sets to its packaged jar. */
    enum Service {
        API("aurum.api.jar"), WORKER("aurum.worker.jar");

        private final String jarProperty;

        Service(String jarProperty) {
            this.jarProperty = jarProperty;
        }

        Path jar() {
            String jar = System.getProperty(jarProperty);
            if (jar == null || !Files.isRegularFile(Path.of(jar))) {
                throw new IllegalStateException("No packaged jar at " + jarProperty + "=" + jar
                        + ": run through Maven (./mvnw -B -pl e2e-tests -am verify), which packages it first");
            }
            return Path.of(jar);
        }
    }

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
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
    private final OptionalInt httpPort;

    private ServiceProcess(Service service, Process process, Path log, OptionalInt httpPort) {
        this.service = service;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * Starts the service and returns without waiting for it, for tests that expect it to fail. Each service gets a
     * free loopback port (the worker serves health and metrics), so two workers of one test never clash. Inherited {@code AURUM_*} and {@code QUARKUS_*} variables are removed, so only {@code env}
     * configures it.
     */
    static ServiceProcess launch(Service service, Map<String, String> env, String label) {
        OptionalInt port = OptionalInt.of(FreePorts.loopback());
        Path log = LOG_DIR.resolve("%03d-%s-%s.log".formatted(SEQUENCE.incrementAndGet(), label,
                service.name().toLowerCase()));
        ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-jar", service.jar().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AURUM_") || name.startsWith("QUARKUS_"));
        environment.putAll(env);
        port.ifPresent(p -> {
            environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            environment.put("QUARKUS_HTTP_PORT", Integer.toString(p));
        });
        try {
            Files.createDirectories(LOG_DIR);
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            return new ServiceProcess(service, process, log, port);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + service + " from " + service.jar(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the api's endpoints, or the worker's health and metrics. */
    URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort.orElseThrow() + "/");
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM, as a container runtime or systemd does. */
    void stop() {
        process.destroy();
    }

    /** Sends SIGKILL: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to exit and returns its exit code, or empty if it still runs after {@code atMost}. */
    OptionalInt awaitExit(Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** Everything the process wrote so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    Path logFile() {
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
    ServiceProcess awaitUp() {
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

    static void pause(Duration duration) {
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
