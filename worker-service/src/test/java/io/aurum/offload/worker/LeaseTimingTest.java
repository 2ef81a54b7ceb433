package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.testing.OffloadSettingsFixture;

/**
 * A worker refuses to start with a visibility timeout under two heartbeat intervals: its lease would run out between
 * beats and the sweeps would take its running tasks away again and again.
 */
class LeaseTimingTest {

    @Test
    void refusesAHeartbeatIntervalOverHalfTheVisibilityTimeoutNamingBothSettings() {
        OffloadSettings.Worker worker = worker("20s", "30s");

        assertThatThrownBy(() -> WorkerLifecycle.requireLeaseOutlivesHeartbeats(worker))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("aurum.api.offload.worker.visibility-timeout")
                .hasMessageContaining("aurum.api.offload.worker.heartbeat-interval");
    }

    @Test
    void acceptsAHeartbeatIntervalWellUnderTheVisibilityTimeout() {
        OffloadSettings.Worker worker = worker("5s", "30s");

        assertThatCode(() -> WorkerLifecycle.requireLeaseOutlivesHeartbeats(worker)).doesNotThrowAnyException();
    }

    private static OffloadSettings.Worker worker(String heartbeatInterval, String visibilityTimeout) {
        return OffloadSettingsFixture.settings(Map.of(
                "aurum.api.offload.worker.heartbeat-interval", heartbeatInterval,
                "aurum.api.offload.worker.visibility-timeout", visibilityTimeout)).worker();
    }
}
