package io.aurum.offload.jobs;

import java.time.Duration;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobOptions;
import io.aurum.offload.job.JobRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Diagnostic jobs for end-to-end and fault tests, registered only when {@code aurum.api.offload.demo-jobs=true}:
 * <ul>
 * <li>{@code sleep}: waits {@code ms} milliseconds (at most one minute), then echoes {@code id};</li>
 * <li>{@code fail}: always throws {@link IllegalStateException} with the payload's {@code message}; three attempts
 * 100 ms apart, then FAILURE;</li>
 * <li>{@code flaky}: throws on its first {@code failures} attempts, then succeeds with its attempt number;</li>
 * <li>{@code stuck}: never ends by itself and ignores interruption; time limits 1 s soft, 2 s hard;</li>
 * <li>{@code not_json}: returns a result that cannot be written as JSON;</li>
 * <li>{@code progress}: reports {@code steps} progress values {@code ms} apart, then succeeds;</li>
 * <li>{@code noop}: does nothing and returns its payload as the result; the benchmark's job.</li>
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
        }, QUICK_RETRIES);
        registry.registerJob("flaky", (payload, context) -> {
            if (context.attempt() <= payload.path("failures").asLong(1)) {
                throw new IllegalStateException("flaky failure on attempt " + context.attempt());
            }
            return JsonNodeFactory.instance.objectNode().put("succeeded_on", context.attempt());
        }, QUICK_RETRIES.withMaxAttempts(5));
        registry.registerJob("stuck", (payload, context) -> {
            long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < until) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    // Deliberately deaf to interruption: only the hard time limit ends this task.
                }
            }
            return JsonNodeFactory.instance.objectNode();
        }, QUICK_RETRIES.withTimeLimits(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        registry.registerJob("not_json", (payload, context) -> {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.putPOJO("value", new Object());
            return result;
        });
        registry.registerJob("noop", (payload, context) -> payload);
        registry.registerJob("progress", (payload, context) -> {
            int steps = (int) Math.clamp(payload.path("steps").asLong(3), 1, 100);
            long ms = Math.clamp(payload.path("ms").asLong(200), 0, 5_000);
            for (int step = 1; step <= steps; step++) {
                context.reportProgress(JsonNodeFactory.instance.objectNode().put("done", step).put("of", steps));
                Thread.sleep(ms);
            }
            return JsonNodeFactory.instance.objectNode().put("steps", steps);
        });
    }

    /** Retries 100 ms to 1 s apart, so tests of retry paths take a second, not minutes. */
    private static final JobOptions QUICK_RETRIES = JobOptions.DEFAULT
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
}
