package io.aurum.offload.api;

import java.util.HashMap;
import java.util.Map;

import io.aurum.offload.testing.RedisTestResource;

/**
 * {@link RedisTestResource} with database 0 as both broker and result backend: the layout in which the api enqueues
 * in one script. {@link RedisTestResource#server()} is this server.
 */
public class OneDatabaseRedisTestResource extends RedisTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new HashMap<>(super.start());
        settings.put("aurum.api.offload.celery-result-backend", settings.get("aurum.api.offload.celery-broker-url"));
        return settings;
    }
}
