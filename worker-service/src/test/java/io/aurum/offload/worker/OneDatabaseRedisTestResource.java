package io.aurum.offload.worker;

import java.util.Map;

import io.aurum.offload.testing.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A private {@link RedisServer} whose database 0 is both the broker and the result backend, the layout in which the
 * worker stores an outcome and acknowledges its message in one script.
 */
public class OneDatabaseRedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static RedisServer server;

    @Override
    public Map<String, String> start() {
        server = RedisServer.start();
        return Map.of(
                "aurum.api.offload.enabled", "true",
                "aurum.api.offload.use-stub", "false",
                "aurum.api.offload.celery-broker-url", server.url(0),
                "aurum.api.offload.celery-result-backend", server.url(0),
                "aurum.api.offload.demo-jobs", "true");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    static RedisServer server() {
        return server;
    }
}
