package io.aurum.offload.testing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.vertx.mutiny.core.Vertx;

/**
 * For plain JUnit tests that drive the Redis backend by hand: a {@link RedisServer} and a Vert.x instance for the
 * test class, Redis flushed before each test, and every connection opened with {@link #connect} closed after it.
 * Register it as a static field with {@code @RegisterExtension}.
 */
public final class PrivateRedis implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final List<RedisConnections> opened = new ArrayList<>();
    private RedisServer server;
    private Vertx vertx;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.command("FLUSHALL");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(RedisConnections::close);
        opened.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        vertx.closeAndAwait();
        server.close();
    }

    public RedisServer server() {
        return server;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Opens the broker and result clients that {@code settings} name; they are closed after the test. */
    public RedisConnections connect(OffloadSettings settings) {
        RedisConnections connections = new RedisConnections(vertx, settings);
        opened.add(connections);
        return connections;
    }
}
