package io.aurum.offload.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.aurum.offload.testing.RedisServer;

/**
 * Counts what clients send to Redis, from Redis's own {@code MONITOR} feed ({@code redis-cli monitor} writing to a
 * file). A line from a client address is one command a client sent, that is one round trip; a line marked
 * {@code lua} is a command run inside a script and costs no round trip. Commands from clients named as ignored when
 * the monitor started are not counted.
 */
final class RedisMonitor implements AutoCloseable {

    /** {@code 1733250000.123456 [0 127.0.0.1:50412] "EVALSHA" ...}: the database, the source and the command. */
    private static final Pattern LINE = Pattern.compile("^\\d+\\.\\d+ \\[(\\d+) ([^\\]]+)\\] \"([^\"]+)\"");
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern CLIENT_ADDRESS = Pattern.compile("\\baddr=(\\S+)");

    private final RedisServer redis;
    private final Process process;
    private final Path feed;
    private final Set<String> ignoredClients;

    private RedisMonitor(RedisServer redis, Process process, Path feed, Set<String> ignoredClients) {
        this.redis = redis;
        this.process = process;
        this.feed = feed;
        this.ignoredClients = ignoredClients;
    }

    /** Starts watching every client; returns once the feed is live. */
    static RedisMonitor start(RedisServer redis) {
        return start(redis, Set.of());
    }

    /** Starts watching the clients other than {@code ignoredClients} (addresses {@code host:port}). */
    static RedisMonitor start(RedisServer redis, Set<String> ignoredClients) {
        try {
            Path feed = Files.createTempFile("redis-monitor-", ".log");
            Process process = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(redis.port()),
                    "monitor").redirectErrorStream(true).redirectOutput(feed.toFile()).start();
            RedisMonitor monitor = new RedisMonitor(redis, process, feed, Set.copyOf(ignoredClients));
            monitor.mark();
            return monitor;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-cli monitor", e);
        }
    }

    /**
     * Stops watching once everything sent so far is in the feed (a marker sent last has arrived), and counts the
     * round trips per database and command, leaving out this monitor's own markers.
     */
    Counts stop() {
        mark();
        process.destroy();
        try {
            List<String> lines = Files.readAllLines(feed);
            Map<String, Long> perCommand = lines.stream().map(LINE::matcher).filter(Matcher::find)
                    .filter(m -> !"lua".equals(m.group(2)) && !"ECHO".equalsIgnoreCase(m.group(3)))
                    .filter(m -> !ignoredClients.contains(m.group(2)))
                    .collect(Collectors.groupingBy(m -> m.group(1) + " " + m.group(3).toUpperCase(),
                            Collectors.counting()));
            return new Counts(perCommand);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + feed, e);
        }
    }

    /** The addresses ({@code host:port}) of the clients connected to {@code redis} right now. */
    static Set<String> connectedClients(RedisServer redis) {
        return redis.command("CLIENT", "LIST").lines().map(CLIENT_ADDRESS::matcher).filter(Matcher::find)
                .map(match -> match.group(1)).collect(Collectors.toSet());
    }

    private void mark() {
        String marker = "monitor-mark-" + UUID.randomUUID();
        long deadline = System.nanoTime() + FLUSH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            redis.command("ECHO", marker);
            try {
                if (Files.readString(feed).contains(marker)) {
                    return;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + feed, e);
            }
            ServiceProcess.pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException("redis-cli monitor did not report a marker within " + FLUSH_TIMEOUT);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            Files.deleteIfExists(feed);
        } catch (IOException ignored) {
            // A temp file left behind is harmless.
        }
    }

    /** Round trips seen, by "database COMMAND". */
    record Counts(Map<String, Long> perCommand) {

        long inDatabase(int db) {
            return perCommand.entrySet().stream().filter(e -> e.getKey().startsWith(db + " "))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        long total() {
            return perCommand.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toString() {
            return perCommand.toString();
        }
    }
}
