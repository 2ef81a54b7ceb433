package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values that would make broken or unsafe pods stop the rendering, with a message that says what to change. */
class ChartValidationTest {

    @TempDir
    Path dir;

    @Test
    void refusesAConfigKeyThatIsNoOffloadSetting() {
        assertRefused("config:\n  QUARKUS_HTTP_PORT: \"9000\"\n",
                "config.QUARKUS_HTTP_PORT is not a setting");
    }

    @Test
    void refusesTheRedisPasswordInTheConfigMap() {
        assertRefused("config:\n  AURUM_API_OFFLOAD_REDIS_PASSWORD: \"hunter2\"\n",
                "would put a password in the ConfigMap: give it in auth");
    }

    @Test
    void refusesTheAdminPasswordInTheConfigMap() {
        assertRefused("config:\n  AURUM_API_OFFLOAD_API_ADMIN_PASSWORD: \"hunter2\"\n",
                "would put a password in the ConfigMap");
    }

    @Test
    void refusesABrokerUrlCarryingAPassword() {
        assertRefused("config:\n  AURUM_API_OFFLOAD_CELERY_BROKER_URL: \"redis://:hunter2@redis:6379/0\"\n",
                "config.AURUM_API_OFFLOAD_CELERY_BROKER_URL carries credentials");
    }

    @Test
    void refusesAResultBackendUrlCarryingAUserAndPassword() {
        assertRefused("config:\n  AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND: \"redis://app:hunter2@redis:6379/1\"\n",
                "config.AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND carries credentials");
    }

    @Test
    void refusesTheShutdownGraceInTheConfigMapWhereThePodsGraceCouldNotFollowIt() {
        assertRefused("config:\n  AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE: \"90s\"\n",
                "set worker.shutdownGraceSeconds instead");
    }

    @Test
    void refusesQueuesSeparatedBySpaces() {
        assertRefused("config:\n  AURUM_API_OFFLOAD_WORKER_QUEUES: \"default, reports\"\n",
                "separate the queues with commas alone");
    }

    @Test
    void refusesAnExistingSecretTogetherWithPasswordsInTheValues() {
        assertRefused("auth:\n  existingSecret: mine\n  redisPassword: hunter2\n",
                "give either auth.existingSecret or the passwords");
    }

    @Test
    void refusesAnApiGraceNoLongerThanItsPreStopSleep() {
        assertRefused("api:\n  preStopSleepSeconds: 30\n  terminationGracePeriodSeconds: 30\n",
                "api.terminationGracePeriodSeconds must be above api.preStopSleepSeconds");
    }

    @Test
    void refusesAWorkerWithoutTimeToPutItsTasksBack() {
        assertRefused("worker:\n  terminationMarginSeconds: 0\n", "worker.terminationMarginSeconds must be at least 1");
    }

    @Test
    void refusesKedaOnABrokerReachedThroughAUnixSocket() {
        assertRefused("""
                config:
                  AURUM_API_OFFLOAD_CELERY_BROKER_URL: "unix:///run/redis.sock"
                worker:
                  keda:
                    enabled: true
                """, "KEDA reads queue lengths over TCP");
    }

    @Test
    void rendersWhatItRefusesOnceTheValueIsMovedWhereTheMessageSays() throws IOException {
        Path fixed = Files.writeString(dir.resolve("fixed.yaml"), "auth:\n  redisPassword: hunter2\n");

        assertThat(ChartScenario.chart().render(List.of(fixed)).all(io.fabric8.kubernetes.api.model.Secret.class))
                .hasSize(1);
    }

    private void assertRefused(String values, String message) {
        Path file;
        try {
            file = Files.writeString(dir.resolve("values.yaml"), values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }

        assertThatThrownBy(() -> ChartScenario.chart().template(List.of(file))).hasMessageContaining(message);
    }
}
