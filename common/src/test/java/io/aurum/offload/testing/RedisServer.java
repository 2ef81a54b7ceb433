package io.aurum.offload.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} for tests: its own process on a free loopback port, its own data folder, stopped
 * (and its folder removed) by {@link #close()}. Tests never touch a Redis someone else started.
 *
 * <p>Needs {@code redis-server} on the PATH ({@code apt-get install redis-server}; {@code .ci/run} installs it).
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    private final boolean appendOnly;
    private final String password;
    private Process process;

    private RedisServer(int port, Path dir, boolean appendOnly, String password) {
        this.port = port;
        this.dir = dir;
        this.appendOnly = appendOnly;
        this.password = password;
    }

    /** Starts a server without persistence. */
    public static RedisServer start() {
        return start(false);
    }

    /** Starts a server; with {@code appendOnly} it keeps an AOF (fsync every write) in its folder. */
    public static RedisServer start(boolean appendOnly) {
        return start(appendOnly, null);
    }

    /**
     * Starts a server without persistence that refuses every command until a client sends {@code AUTH password}
     * ({@code --requirepass}); {@link #command} authenticates itself.
     */
    public static RedisServer startWithPassword(String password) {
        return start(false, password);
    }

    private static RedisServer start(boolean appendOnly, String password) {
        try {
            RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("aurum-redis-"), appendOnly,
                    password);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start redis-server: is it installed?", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT/DB} */
    public String url(int db) {
        return "redis://127.0.0.1:" + port + "/" + db;
    }

    /** Stops the server (like a crash: no save), keeping its folder, so {@link #restart()} finds the AOF. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the server again on the same port and folder. */
    public void restart() {
        kill();
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("Could not restart redis-server", e);
        }
    }

    /** Runs one command through {@code redis-cli} and returns its reply as text, for checks and clean-ups. */
    public String command(String... args) {
        return command(0, args);
    }

    /**
     * Runs one command on database {@code db} (redis-cli's {@code -n}), for services whose broker and result
     * backend are different databases of this server.
     */
    public String command(int db, String... args) {
        List<String> cli = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-n", Integer.toString(db)));
        cli.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cli).redirectErrorStream(true);
        if (password != null) {
            // Through the environment rather than -a, so that the password shows in no process list.
            builder.environment().put("REDISCLI_AUTH", password);
        }
        try {
            Process run = builder.start();
            String reply = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!run.waitFor(10, TimeUnit.SECONDS) || run.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed: " + reply);
            }
            return reply;
        } catch (IOException e) {
            throw new IllegalStateException("Could not run redis-cli (installed with redis-server)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running redis-cli", e);
        }
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp folder is harmless.
        }
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--daemonize", "no",
                "--logfile", dir.resolve("redis.log").toString()));
        if (appendOnly) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile()).start();
        waitUntilReady();
    }

    private void waitUntilReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start; see " + dir.resolve("redis.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException | IllegalStateException notYet) {
                // Not listening yet (or still loading its AOF): wait and look again.
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting redis-server", e);
            }
        }
        throw new IllegalStateException("redis-server did not answer within " + START_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
