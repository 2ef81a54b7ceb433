package io.aurum.offload.benchmark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process the benchmark starts (services, wrk, redis-benchmark, redis-cli monitor) goes through here: each
 * is killed when this JVM exits, however it exits short of SIGKILL, and the long-running ones leave a pid file
 * that scripts/bench.sh's trap uses when even that fails.
 */
final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "bench-child-reaper"));
    }

    private ChildProcesses() {
    }

    static Process start(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + String.join(" ", builder.command()), e);
        }
    }

    /** Runs a short command to its end and returns what it printed; bounded by {@code atMost}. */
    static String output(List<String> command, Duration atMost) {
        Process process = start(new ProcessBuilder(command).redirectErrorStream(true));
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " did not end within " + atMost);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the output of " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while " + command.getFirst() + " ran", e);
        }
    }

    /**
     * Runs {@code command} with its output going to a file, waits at most {@code atMost} (then kills it), and
     * returns that output. For programs that run for a set time, such as wrk, whose own clock ends them.
     */
    static String outputViaFile(List<String> command, Path file, Duration atMost) {
        Process process = start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(file.toFile()));
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " did not end within " + atMost);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while " + command.getFirst() + " ran", e);
        }
    }

    /** Records {@code process} in {@code pidDir} (when set) until {@link #forget} is called. */
    static Optional<Path> remember(Optional<Path> pidDir, String name, Process process) {
        return pidDir.map(dir -> {
            Path file = dir.resolve(name + "." + process.pid() + ".pid");
            try {
                Files.createDirectories(dir);
                Files.writeString(file, Long.toString(process.pid()));
            } catch (IOException e) {
                Figures.note("could not write pid file " + file + ": " + e.getMessage());
            }
            return file;
        });
    }

    static void forget(Optional<Path> pidFile) {
        pidFile.ifPresent(file -> file.toFile().delete());
    }

    /** A TCP port free on the loopback interface at the moment of asking. */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free loopback port", e);
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
}
