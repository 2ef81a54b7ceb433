package io.aurum.offload.jobs;

import java.time.Duration;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Diagnostic jobs for end-to-end and fault tests, registered only when {@code aurum.api.offload.demo-jobs=true}:
 * <ul>
 * <li>{@code sleep}: waits {@code ms} milliseconds (at most one minute), then echoes {@code id};</li>
 * <li>{@code fail}: throws {@link IllegalStateException} with the payload's {@code message}.</li>
 * </ul>
 */
@ApplicationScoped
public class DemoJobs {

    static final long MAX_SLEEP_MS = Duration.ofMinutes(1).toMillis();

    void register(@Observes StartupEvent startup, OffloadSettings settings, JobRegistry registry) {
        if (!settings.demoJobs()) {
            return;
        }
        registry.registerJob("sleep", (payload, context) -> {
            long ms = Math.clamp(payload.path("ms").asLong(0), 0, MAX_SLEEP_MS);
            Thread.sleep(ms);
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("slept_ms", ms);
            result.set("id", payload.get("id"));
            return result;
        });
        registry.registerJob("fail", (payload, context) -> {
            throw new IllegalStateException(payload.path("message").asText("failed on purpose"));
        });
    }
}
