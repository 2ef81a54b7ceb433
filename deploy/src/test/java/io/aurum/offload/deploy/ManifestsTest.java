package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The strict reading of rendered YAML refuses what an API server would refuse, where fabric8 alone would not. */
class ManifestsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              selector:
                matchLabels: {app: d}
              template:
                metadata:
                  labels: {app: d}
                spec:
                  containers:
                    - name: c
                      image: i
                      ports:
                        - containerPort: PORT
                      %s
            """;

    @Test
    void readsAWellFormedDeployment() {
        assertThat(Manifests.parse(DEPLOYMENT.replace("PORT", "8080").formatted("")))
                .singleElement().isInstanceOfSatisfying(Deployment.class, d -> assertThat(d.getSpec()
                        .getTemplate().getSpec().getContainers().getFirst().getPorts().getFirst().getContainerPort())
                        .isEqualTo(8080));
    }

    @Test
    void refusesAMisspelledField() {
        String yaml = DEPLOYMENT.replace("PORT", "8080").formatted("readinesProbe: {}");

        assertThatThrownBy(() -> Manifests.parse(yaml)).hasMessageContaining("readinesProbe");
    }

    @Test
    void refusesANumberWrittenAsText() {
        String yaml = DEPLOYMENT.replace("PORT", "\"8080\"").formatted("");

        assertThatThrownBy(() -> Manifests.parse(yaml)).hasMessageContaining("Not a valid apps/v1/Deployment");
    }

    @Test
    void refusesAConfigMapValueThatIsNotText() {
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  CONCURRENCY: 8\n";

        assertThatThrownBy(() -> Manifests.parse(yaml)).hasMessageContaining("Not a valid v1/ConfigMap");
    }

    @Test
    void refusesAKindItHasNoModelFor() {
        String yaml = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n";

        assertThatThrownBy(() -> Manifests.parse(yaml)).hasMessageContaining("Unexpected kind");
    }

    @Test
    void readsKedaObjectsGenerically() {
        String yaml = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: s\n"
                + "spec:\n  minReplicaCount: 0\n";

        assertThat(Manifests.parse(yaml)).singleElement().isInstanceOfSatisfying(GenericKubernetesResource.class,
                s -> assertThat(s.<Integer>get("spec", "minReplicaCount")).isZero());
    }
}
