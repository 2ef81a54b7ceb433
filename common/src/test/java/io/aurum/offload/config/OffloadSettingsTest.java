package io.aurum.offload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The settings as the services read them: environment names, their Celery-era fallbacks and the defaults, resolved
 * by SmallRye Config itself from an environment given as a map.
 */
class OffloadSettingsTest {

    @Test
    void defaultsToTheStubOnTwoLocalDatabases() {
        OffloadSettings settings = fromEnvironment(Map.of());

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.useStub()).isFalse();
        assertThat(settings.celeryBrokerUrl()).isEqualTo("redis://localhost:6379/0");
        assertThat(settings.celeryResultBackend()).isEqualTo("redis://localhost:6379/1");
        assertThat(settings.defaultQueue()).isEqualTo("default");
    }

    @Test
    void readsEnabledAndUseStubFromTheirEnvironmentNames() {
        OffloadSettings settings = fromEnvironment(Map.of(
                "AURUM_API_OFFLOAD_ENABLED", "true",
                "AURUM_API_OFFLOAD_USE_STUB", "true"));

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.useStub()).isTrue();
    }

    @Test
    void fallsBackToTheCeleryBrokerUrl() {
        OffloadSettings settings = fromEnvironment(Map.of("AURUM_CELERY_BROKER_URL", "redis://broker:6380/3"));

        assertThat(settings.celeryBrokerUrl()).isEqualTo("redis://broker:6380/3");
    }

    @Test
    void prefersTheOffloadBrokerUrlOverTheCeleryOne() {
        OffloadSettings settings = fromEnvironment(Map.of(
                "AURUM_CELERY_BROKER_URL", "redis://celery:6379/0",
                "AURUM_API_OFFLOAD_CELERY_BROKER_URL", "redis://offload:6379/5"));

        assertThat(settings.celeryBrokerUrl()).isEqualTo("redis://offload:6379/5");
    }

    @Test
    void fallsBackToTheCeleryResultBackend() {
        OffloadSettings settings = fromEnvironment(Map.of("AURUM_CELERY_RESULT_BACKEND", "redis://results:6379/4"));

        assertThat(settings.celeryResultBackend()).isEqualTo("redis://results:6379/4");
    }

    @Test
    void prefersTheOffloadResultBackendOverTheCeleryOne() {
        OffloadSettings settings = fromEnvironment(Map.of(
                "AURUM_CELERY_RESULT_BACKEND", "redis://celery:6379/1",
                "AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND", "redis://offload:6379/7"));

        assertThat(settings.celeryResultBackend()).isEqualTo("redis://offload:6379/7");
    }

    @Test
    void fallsBackToTheCeleryDefaultQueue() {
        OffloadSettings settings = fromEnvironment(Map.of("AURUM_CELERY_TASK_DEFAULT_QUEUE", "celery-tasks"));

        assertThat(settings.defaultQueue()).isEqualTo("celery-tasks");
    }

    @Test
    void prefersTheOffloadDefaultQueueOverTheCeleryOne() {
        OffloadSettings settings = fromEnvironment(Map.of(
                "AURUM_CELERY_TASK_DEFAULT_QUEUE", "celery-tasks",
                "AURUM_API_OFFLOAD_DEFAULT_QUEUE", "offload-tasks"));

        assertThat(settings.defaultQueue()).isEqualTo("offload-tasks");
    }

    @Test
    void fallbacksOfBrokerAndResultBackendAreIndependent() {
        OffloadSettings settings = fromEnvironment(Map.of(
                "AURUM_API_OFFLOAD_CELERY_BROKER_URL", "redis://offload:6379/0",
                "AURUM_CELERY_RESULT_BACKEND", "redis://celery:6379/9"));

        assertThat(settings.celeryBrokerUrl()).isEqualTo("redis://offload:6379/0");
        assertThat(settings.celeryResultBackend()).isEqualTo("redis://celery:6379/9");
    }

    @Test
    void givesTheDocumentedDefaultsForTimesAndLimits() {
        OffloadSettings settings = fromEnvironment(Map.of());

        assertThat(settings.resultTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(settings.expiredMarkerTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.redisTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.demoJobs()).isFalse();
        assertThat(settings.stub().eager()).isFalse();
        assertThat(settings.stub().maxTasks()).isEqualTo(10000);
        assertThat(settings.api().maxPayloadSize().asLongValue()).isEqualTo(1024 * 1024);
        assertThat(settings.api().maxPayloadDepth()).isEqualTo(64);
        assertThat(settings.api().retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.api().maxWaiting()).isEqualTo(10000);
    }

    @Test
    void givesTheDocumentedWorkerDefaults() {
        OffloadSettings.Worker worker = fromEnvironment(Map.of()).worker();

        assertThat(worker.concurrency()).isEqualTo(8);
        assertThat(worker.queues()).isEmpty();
        assertThat(worker.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(worker.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(worker.sweepInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(worker.pollTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(worker.shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void readsNestedWorkerKnobsFromTheirEnvironmentNames() {
        OffloadSettings.Worker worker = fromEnvironment(Map.of(
                "AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "3",
                "AURUM_API_OFFLOAD_WORKER_QUEUES", "urgent,default",
                "AURUM_API_OFFLOAD_WORKER_HEARTBEAT_INTERVAL", "2s",
                "AURUM_API_OFFLOAD_WORKER_VISIBILITY_TIMEOUT", "1m",
                "AURUM_API_OFFLOAD_WORKER_SWEEP_INTERVAL", "15s",
                "AURUM_API_OFFLOAD_WORKER_POLL_TIMEOUT", "250ms",
                "AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE", "40s")).worker();

        assertThat(worker.concurrency()).isEqualTo(3);
        assertThat(worker.queues()).contains(List.of("urgent", "default"));
        assertThat(worker.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(worker.visibilityTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(worker.sweepInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(worker.pollTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(worker.shutdownGrace()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void readsTimesAndSizesInQuarkusNotation() {
        OffloadSettings settings = fromEnvironment(Map.of(
                "AURUM_API_OFFLOAD_RESULT_TTL", "2d",
                "AURUM_API_OFFLOAD_EXPIRED_MARKER_TTL", "12h",
                "AURUM_API_OFFLOAD_API_MAX_PAYLOAD_SIZE", "64K",
                "AURUM_API_OFFLOAD_STUB_EAGER", "true",
                "AURUM_API_OFFLOAD_DEMO_JOBS", "true"));

        assertThat(settings.resultTtl()).isEqualTo(Duration.ofDays(2));
        assertThat(settings.expiredMarkerTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(settings.api().maxPayloadSize()).isEqualTo(new MemorySize(java.math.BigInteger.valueOf(64 * 1024)));
        assertThat(settings.stub().eager()).isTrue();
        assertThat(settings.demoJobs()).isTrue();
    }

    @Test
    void forcesTheStubInTheDevProfile() {
        OffloadSettings settings = withDefaultSources("dev", Map.of());

        assertThat(settings.useStub()).isTrue();
    }

    @Test
    void doesNotForceTheStubInTheProdProfile() {
        OffloadSettings settings = withDefaultSources("prod", Map.of());

        assertThat(settings.useStub()).isFalse();
    }

    @Test
    void letsTheEnvironmentTurnTheStubOffInTheDevProfile() {
        OffloadSettings settings = withDefaultSources("dev", Map.of("AURUM_API_OFFLOAD_USE_STUB", "false"));

        assertThat(settings.useStub()).isFalse();
    }

    private static OffloadSettings fromEnvironment(Map<String, String> environment) {
        return builder(environment).build().getConfigMapping(OffloadSettings.class);
    }

    /** Adds the classpath's META-INF/microprofile-config.properties (and the real system properties) on top. */
    private static OffloadSettings withDefaultSources(String profile, Map<String, String> environment) {
        SmallRyeConfig config = builder(environment).addDefaultSources().withProfile(profile).build();
        return config.getConfigMapping(OffloadSettings.class);
    }

    private static SmallRyeConfigBuilder builder(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                // As Quarkus does: the expression interceptor is what resolves the ${...} fallbacks in the defaults.
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(OffloadSettings.class)
                // Above the ordinal of the real environment (300), so the machine's variables cannot interfere.
                .withSources(new EnvConfigSource(environment, 350));
    }
}
