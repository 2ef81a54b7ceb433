package io.aurum.offload.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link RedisTestResource} with database 0 as both broker and result backend: the layout in which enqueue and
 * store-and-acknowledge are each one script. {@link RedisTestResource#server()} is this server.
 */
public class OneDatabaseRedisTestResource extends RedisTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new HashMap<>(super.start());
        settings.put("aurum.api.offload.celery-result-backend", settings.get("aurum.api.offload.celery-broker-url"));
        return settings;
    }
}
