package io.aurum.offload.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;

/** Bad values stop the configuration from being built, with a message naming the key, as at service startup. */
class OffloadSettingsValidationTest {

    @Test
    void acceptsTheDefaults() {
        assertThatCode(() -> build(Map.of())).doesNotThrowAnyException();
    }

    @Test
    void refusesABrokerThatIsNotARedisUrl() {
        assertThatThrownBy(() -> build(Map.of("AURUM_API_OFFLOAD_CELERY_BROKER_URL", "localhost:6379")))
                .hasMessageContaining("aurum.api.offload.celery-broker-url")
                .hasMessageContaining("must be a Redis URL");
    }

    @Test
    void refusesAFallbackResultBackendThatIsNotARedisUrl() {
        assertThatThrownBy(() -> build(Map.of("AURUM_CELERY_RESULT_BACKEND", "http://results")))
                .hasMessageContaining("aurum.api.offload.celery-result-backend");
    }

    @Test
    void refusesAWorkerConcurrencyOfZero() {
        assertThatThrownBy(() -> build(Map.of("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "0")))
                .hasMessageContaining("aurum.api.offload.worker.concurrency");
    }

    @Test
    void refusesAQueueNameThatWouldBreakKeyNames() {
        assertThatThrownBy(() -> build(Map.of("AURUM_API_OFFLOAD_DEFAULT_QUEUE", "a:{b}")))
                .hasMessageContaining("aurum.api.offload.default-queue");
    }

    @Test
    void refusesAConsumedQueueNameThatWouldBreakKeyNames() {
        assertThatThrownBy(() -> build(Map.of("AURUM_API_OFFLOAD_WORKER_QUEUES", "default,bad{queue}")))
                .hasMessageContaining("aurum.api.offload.worker.queues");
    }

    @Test
    void refusesANegativeResultTimeToLive() {
        assertThatThrownBy(() -> build(Map.of("AURUM_API_OFFLOAD_RESULT_TTL", "-1s")))
                .hasMessageContaining("aurum.api.offload.result-ttl");
    }

    @Test
    void refusesARedisTimeoutOfZero() {
        assertThatThrownBy(() -> build(Map.of("AURUM_API_OFFLOAD_REDIS_TIMEOUT", "0s")))
                .hasMessageContaining("aurum.api.offload.redis-timeout");
    }

    @Test
    void refusesAWorkerPollTimeoutOfZero() {
        assertThatThrownBy(() -> build(Map.of("AURUM_API_OFFLOAD_WORKER_POLL_TIMEOUT", "0s")))
                .hasMessageContaining("aurum.api.offload.worker.poll-timeout");
    }

    @Test
    void refusesANegativeLimitOfWaitingReads() {
        assertThatThrownBy(() -> build(Map.of("AURUM_API_OFFLOAD_API_MAX_WAITING", "-1")))
                .hasMessageContaining("aurum.api.offload.api.max-waiting");
    }

    private static void build(Map<String, String> environment) {
        new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withValidator(new BeanValidationConfigValidatorImpl())
                .withMapping(OffloadSettings.class)
                .withSources(new EnvConfigSource(environment, 350))
                .build();
    }
}
