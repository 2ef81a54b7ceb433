package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

import io.aurum.offload.testing.RedisServer;

/**
 * scripts/run-chart-settings.sh, the local recipe for running the pair with the chart's settings, does what its
 * {@code --check} promises: renders the chart, starts Redis, the worker and the api, and sees a job succeed.
 */
class ChartScriptIT {

    private static final Path REPO = Path.of(System.getProperty("aurum.chart.dir"), "..", "..", "..").normalize();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void checkRunsAJobToSuccessWithTheChartsSettings() throws IOException, InterruptedException {
        ScriptRun run = runCheck(FreePorts.loopback(), FreePorts.loopback(), Duration.ofMinutes(3));

        assertThat(run.ended()).as("the script ended:\n%s", run.log()).isTrue();
        assertThat(run.exitCode()).as("exit code; output:\n%s", run.log()).isZero();
        assertThat(run.log()).containsPattern("task \\S+ SUCCESS");
    }

    /**
     * With its Redis port held by another Redis, the script's own redis-server exits at once while the other one
     * answers: the script must stop there rather than run the services against someone else's data.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void stopsWhenItsRedisPortIsHeldByAnotherRedis() throws IOException, InterruptedException {
        try (RedisServer other = RedisServer.start()) {
            other.command("SET", "owner", "someone-else");

            ScriptRun run = runCheck(other.port(), FreePorts.loopback(), Duration.ofSeconds(90));

            assertThat(run.ended()).as("the script ended:\n%s", run.log()).isTrue();
            assertThat(run.exitCode()).as("exit code; output:\n%s", run.log()).isNotZero();
            assertThat(run.log()).contains("Our redis-server on 127.0.0.1:" + other.port() + " exited at start",
                    "AURUM_LOCAL_REDIS_PORT").doesNotContain("api on http");
            assertThat(other.command("DBSIZE")).isEqualTo("1");
            assertThat(other.command("GET", "owner")).isEqualTo("someone-else");
        }
    }

    /**
     * With its api port answered by another HTTP server (another api, say from scripts/start.sh), the script's
     * readiness check would talk to that one: the script must refuse to start, naming the port and the variable.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void stopsWhenItsApiPortIsHeldByAnotherServer() throws IOException, InterruptedException {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        other.start();
        try {
            int apiPort = other.getAddress().getPort();

            ScriptRun run = runCheck(FreePorts.loopback(), apiPort, Duration.ofSeconds(90));

            assertThat(run.ended()).as("the script ended:\n%s", run.log()).isTrue();
            assertThat(run.exitCode()).as("exit code; output:\n%s", run.log()).isNotZero();
            assertThat(run.log()).contains("Port " + apiPort + " on 127.0.0.1 is already taken", "QUARKUS_HTTP_PORT")
                    .doesNotContain("api on http", "SUCCESS");
        } finally {
            other.stop(0);
        }
    }

    private record ScriptRun(boolean ended, int exitCode, String log) {
    }

    /**
     * Runs {@code run-chart-settings.sh --check} with the api on {@code apiPort}, Redis on {@code redisPort} and the
     * worker on a free port, for at most {@code limit}.
     */
    private static ScriptRun runCheck(int redisPort, int apiPort, Duration limit)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("run-chart-settings", ".log");
        ProcessBuilder script = new ProcessBuilder("bash", "scripts/run-chart-settings.sh", "--check")
                .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        script.environment().putAll(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(apiPort),
                "AURUM_WORKER_HTTP_PORT", Integer.toString(FreePorts.loopback()),
                "AURUM_LOCAL_REDIS_PORT", Integer.toString(redisPort),
                "AURUM_SKIP_BUILD", "1",
                "JAVA_HOME", System.getProperty("java.home")));

        Process process = script.start();
        boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            // SIGTERM lets the script stop what it started.
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        return new ScriptRun(ended, ended ? process.exitValue() : -1, log);
    }
}
