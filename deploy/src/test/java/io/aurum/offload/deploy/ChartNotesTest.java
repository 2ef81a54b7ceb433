package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the chart tells the operator after an install, from a client-only dry run of {@code helm install}. */
class ChartNotesTest {

    @Test
    void tellsHowToReachTheApiAndWarnsThatRedisHasNoPassword() {
        String notes = ChartScenario.chart().installNotes(ChartScenario.DEFAULTS.valuesFiles());

        assertThat(notes).contains("port-forward svc/offload-aurum-offload-api 8080:80")
                .contains("ConfigMap offload-aurum-offload-config")
                .contains("2 replicas (worker.replicaCount); each stops within 35 s")
                .contains("no Redis password is configured")
                .contains("refuse everyone until an admin password is set");
    }

    @Test
    void withKedaDownToZeroWarnsThatDelayedTasksWaitForANewOne() {
        String notes = ChartScenario.chart().installNotes(ChartScenario.KEDA.valuesFiles());

        assertThat(notes).contains("KEDA scales them from 0 to 20 on the pending lists of default, reports")
                .contains("due retries and delayed tasks")
                .doesNotContain("no Redis password is configured");
    }

    @Test
    void withAnExistingSecretSaysHowToRestartThePodsAfterChangingIt() {
        String notes = ChartScenario.chart().installNotes(ChartScenario.EXISTING_SECRET.valuesFiles());

        assertThat(notes).contains("rollout restart deployment/offload-aurum-offload-api "
                + "deployment/offload-aurum-offload-worker")
                .contains("Secret offload-passwords, key dashboard");
    }
}
