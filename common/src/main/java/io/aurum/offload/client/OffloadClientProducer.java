package io.aurum.offload.client;

import org.jboss.logging.Logger;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisOffloadClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Chooses the backend once, from the settings: the stub unless Redis is enabled and the stub is not forced. */
@ApplicationScoped
public class OffloadClientProducer {

    private static final Logger LOG = Logger.getLogger(OffloadClientProducer.class);

    @Produces
    @ApplicationScoped
    OffloadClient offloadClient(OffloadSettings settings, Instance<StubOffloadClient> stub,
            Instance<RedisOffloadClient> redis) {
        OffloadClient chosen = usesRedis(settings) ? redis.get() : stub.get();
        LOG.infof("Offload backend: %s (enabled=%s, use-stub=%s)", chosen.backendName(), settings.enabled(),
                settings.useStub());
        return chosen;
    }

    /** True when tasks go through Redis; false when the stub serves them. */
    public static boolean usesRedis(OffloadSettings settings) {
        return settings.enabled() && !settings.useStub();
    }
}
