package io.aurum.offload.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records every command Redis executes while it runs, through {@code redis-cli monitor} writing to a file.
 * MONITOR slows Redis down, so it watches only the small round-trip samples, never a timed phase.
 */
final class CommandMonitor implements AutoCloseable {

    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path file;

    private CommandMonitor(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** Starts watching and returns once Redis has confirmed (its {@code OK}), so nothing after it is missed. */
    static CommandMonitor attach(int redisPort, Path file) {
        ProcessBuilder builder = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(redisPort),
                "monitor").redirectErrorStream(true).redirectOutput(file.toFile());
        CommandMonitor monitor = new CommandMonitor(ChildProcesses.start(builder), file);
        long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
        while (monitor.lines().isEmpty()) {
            if (System.nanoTime() > deadline || !monitor.process.isAlive()) {
                monitor.close();
                throw new IllegalStateException("redis-cli monitor did not attach; see " + file);
            }
            ChildProcesses.pause(Duration.ofMillis(20));
        }
        return monitor;
    }

    /**
     * Stops watching and returns every line seen. The benchmark's last command of the sample is echoed before
     * this returns, since MONITOR writes a command before it is answered and redis-cli flushes each line.
     */
    List<String> finish() {
        ChildProcesses.pause(Duration.ofMillis(200));
        close();
        return lines();
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
