package io.aurum.offload.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a private {@link RedisServer} for a {@code @QuarkusTest} and points the offload settings at it: broker on
 * database 0, result backend on database 1, Redis backend enabled.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static RedisServer server;

    @Override
    public Map<String, String> start() {
        server = RedisServer.start();
        return Map.of(
                "aurum.api.offload.enabled", "true",
                "aurum.api.offload.use-stub", "false",
                "aurum.api.offload.celery-broker-url", server.url(0),
                "aurum.api.offload.celery-result-backend", server.url(1),
                "aurum.api.offload.demo-jobs", "true");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The server of the running test, for direct checks and for stopping it to test outages. */
    public static RedisServer server() {
        return server;
    }
}
