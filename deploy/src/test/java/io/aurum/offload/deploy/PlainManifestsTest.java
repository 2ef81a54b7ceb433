package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** deploy/k8s/aurum-offload.yaml is the chart's rendering, so that Helm and plain kubectl users get the same pods. */
class PlainManifestsTest {

    private static final Path REPO = ServiceProperties.repoDir();

    @Test
    void areTheChartRenderedWithTheirValues() throws IOException {
        String expected = PlainManifests.render(ChartScenario.chart().dir(), REPO.resolve(PlainManifests.VALUES));

        assertThat(Files.readString(REPO.resolve(PlainManifests.FILE)))
                .as("deploy/k8s/aurum-offload.yaml is stale: run scripts/render-manifests.sh").isEqualTo(expected);
    }

    @Test
    void readThePasswordsFromASecretTheOperatorCreates() throws IOException {
        RenderedChart manifests = new RenderedChart(Manifests.parse(
                Files.readString(REPO.resolve(PlainManifests.FILE))));

        assertThat(manifests.all(Secret.class)).isEmpty();
        assertThat(manifests.all(Deployment.class)).hasSize(2).allSatisfy(deployment -> {
            List<EnvVar> env = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
            assertThat(env).filteredOn(e -> e.getName().equals("AURUM_API_OFFLOAD_REDIS_PASSWORD")).singleElement()
                    .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName())
                            .isEqualTo("aurum-offload-passwords"));
        });
    }
}
