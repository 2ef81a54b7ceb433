package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
        assertRefused("worker:\n  terminationMarginSeconds: 0\n", "'/worker/terminationMarginSeconds'", "want 1");
    }

    /** Go templates read a string such as "30s" as the number 0: the schema stops it before any template runs. */
    @ParameterizedTest
    @CsvSource({
        "worker.shutdownGraceSeconds, '\"30s\"'",
        "worker.preStopSleepSeconds, '\"5\"'",
        "worker.terminationMarginSeconds, '\"10s\"'",
        "api.terminationGracePeriodSeconds, '\"30s\"'",
        "api.preStopSleepSeconds, 2.5",
        "api.replicaCount, '\"2\"'",
        "worker.replicaCount, '\"2\"'",
        "api.autoscaling.minReplicas, '\"2\"'",
        "worker.keda.listLength, '\"20\"'",
        "worker.keda.pollingInterval, '\"15s\"'",
        "api.probes.liveness.periodSeconds, '\"10s\"'"})
    void refusesANumberGivenAsTextNamingTheValue(String key, String value) {
        assertRefused(nested(key, value), "'/" + key.replace('.', '/') + "'", "want integer");
    }

    @ParameterizedTest
    @CsvSource({"worker.shutdownGraceSeconds, -1", "api.preStopSleepSeconds, -5", "worker.keda.listLength, 0",
        "api.autoscaling.maxReplicas, 0", "worker.replicaCount, -1"})
    void refusesANumberBelowItsMinimumNamingTheValue(String key, String value) {
        assertRefused(nested(key, value), "'/" + key.replace('.', '/') + "'", "minimum");
    }

    /** A quoted "false" is a non-empty string, which templates take for true. */
    @Test
    void refusesASwitchGivenAsText() {
        assertRefused("worker:\n  keda:\n    enabled: \"false\"\n", "'/worker/keda/enabled'", "want boolean");
    }

    @Test
    void refusesAnApiBudgetThatWouldBlockEveryDrainOfItsOnlyPod() {
        assertRefused("""
                api:
                  replicaCount: 1
                  autoscaling:
                    enabled: false
                  podDisruptionBudget:
                    minAvailable: 1
                """, "api.podDisruptionBudget.minAvailable 1 would block every node drain",
                "api.replicaCount");
    }

    @Test
    void refusesAnApiBudgetKeepingAsManyPodsAsTheAutoscalersMinimum() {
        assertRefused("""
                api:
                  autoscaling:
                    minReplicas: 2
                  podDisruptionBudget:
                    minAvailable: "100%"
                """, "api.podDisruptionBudget.minAvailable 100% would block every node drain",
                "api.autoscaling.minReplicas");
    }

    @Test
    void refusesAWorkerBudgetThatLetsNoPodGo() {
        assertRefused("worker:\n  podDisruptionBudget:\n    maxUnavailable: 0\n",
                "worker.podDisruptionBudget.maxUnavailable 0 would block every node drain");
    }

    @Test
    void refusesAWorkerBudgetKeepingEveryPodKedaMayScaleTo() {
        assertRefused("""
                worker:
                  keda:
                    enabled: true
                    minReplicaCount: 0
                    maxReplicaCount: 3
                  podDisruptionBudget:
                    minAvailable: 1
                """, "worker.podDisruptionBudget.minAvailable 1 would block every node drain",
                "worker.keda.minReplicaCount");
    }

    @Test
    void refusesABudgetWithBothBounds() {
        assertRefused("api:\n  podDisruptionBudget:\n    minAvailable: 1\n    maxUnavailable: 1\n",
                "api.podDisruptionBudget: give minAvailable or maxUnavailable, not both");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis: password", "redis/password", "redis password", "..redis", ".", "pässword"})
    void refusesARedisPasswordKeyThatIsNoSecretKey(String key) {
        assertRefused("auth:\n  redisPassword: hunter2\n  redisPasswordKey: " + quoted(key) + "\n",
                "auth.redisPasswordKey " + quoted(key) + " is not a valid Secret key");
    }

    @Test
    void refusesAnAdminPasswordKeyOfAnExistingSecretThatIsNoSecretKey() {
        assertRefused("auth:\n  existingSecret: mine\n  adminPasswordKey: \"admin: password\"\n",
                "auth.adminPasswordKey \"admin: password\" is not a valid Secret key");
    }

    @Test
    void refusesASecretKeyLongerThanKubernetesAllows() {
        String key = "k".repeat(254);
        assertRefused("auth:\n  existingSecret: mine\n  redisPasswordKey: " + key + "\n",
                "auth.redisPasswordKey \"" + key + "\" is not a valid Secret key", "at most 253");
    }

    /** One key for both passwords would give the chart's Secret the same key twice. */
    @Test
    void refusesOneSecretKeyForBothPasswords() {
        assertRefused("""
                auth:
                  redisPassword: hunter2
                  redisPasswordKey: password
                  adminPassword: hunter3
                  adminPasswordKey: password
                """, "auth.redisPasswordKey and auth.adminPasswordKey are both \"password\"");
    }

    @Test
    void refusesAPercentageOverAHundredInADisruptionBudget() {
        assertRefused("worker:\n  podDisruptionBudget:\n    maxUnavailable: \"500%\"\n",
                "'/worker/podDisruptionBudget/maxUnavailable'");
    }

    @Test
    void refusesAnExistingSecretNameThatIsNoKubernetesName() {
        assertRefused("auth:\n  existingSecret: \"My: Secret\"\n",
                "auth.existingSecret \"My: Secret\" is not a valid Secret name");
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

    /** {@code a.b.c} and a YAML value as nested YAML. */
    private static String nested(String key, String value) {
        StringBuilder yaml = new StringBuilder();
        String[] parts = key.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            yaml.append("  ".repeat(i)).append(parts[i]).append(':');
            yaml.append(i == parts.length - 1 ? " " + value + "\n" : "\n");
        }
        return yaml.toString();
    }

    /** {@code text} as a double-quoted YAML (and Go %q) string. */
    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private void assertRefused(String values, String... messages) {
        Path file;
        try {
            file = Files.writeString(dir.resolve("values.yaml"), values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }

        assertThatThrownBy(() -> ChartScenario.chart().template(List.of(file)))
                .hasMessageContainingAll(messages).hasMessageNotContaining("error converting YAML");
    }
}
