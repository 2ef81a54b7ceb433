package io.aurum.offload.testing;

import java.time.Duration;
import java.util.Map;

import io.aurum.offload.config.OffloadSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Builds {@link OffloadSettings} outside Quarkus, the way Quarkus would, from a few property values. */
public final class OffloadSettingsFixture {

    private OffloadSettingsFixture() {
    }

    /** Settings from {@code properties} (full keys such as {@code aurum.api.offload.enabled}) over the defaults. */
    public static OffloadSettings settings(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(OffloadSettings.class)
                .withSources(new PropertiesConfigSource(properties, "test-settings", 400))
                .build()
                .getConfigMapping(OffloadSettings.class);
    }

    /** Settings of a Redis backend on {@code server}: broker on {@code brokerDb}, results on {@code resultDb}. */
    public static OffloadSettings redis(RedisServer server, int brokerDb, int resultDb) {
        return settings(Map.of(
                "aurum.api.offload.enabled", "true",
                "aurum.api.offload.celery-broker-url", server.url(brokerDb),
                "aurum.api.offload.celery-result-backend", server.url(resultDb),
                "aurum.api.offload.redis-timeout", "2s"));
    }
}
