package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisKeys;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The optional KEDA ScaledObject watches the lists the workers really take from, on the broker the workers really
 * use, with the password the workers use. KEDA's kinds have no fabric8 model, so their fields are checked here.
 */
class KedaScaledObjectTest {

    private final RenderedChart chart = ChartScenario.KEDA.rendered();
    private final OffloadSettings worker = OffloadEnvironment.settings(ChartScenario.KEDA.environment("worker"));

    @Test
    void isRenderedOnlyWhenEnabled() {
        assertThat(ChartScenario.DEFAULTS.rendered().all("ScaledObject")).isEmpty();
        assertThat(chart.all("ScaledObject")).hasSize(1);
    }

    @Test
    void scalesTheWorkerDeploymentWhichThenLeavesItsReplicaCountToKeda() {
        Deployment deployment = chart.deployment("worker");
        GenericKubernetesResource scaled = chart.all("ScaledObject").getFirst();

        assertThat(scaled.<String>get("spec", "scaleTargetRef", "name")).isEqualTo(deployment.getMetadata().getName());
        assertThat(scaled.<String>get("spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat(scaled.<Integer>get("spec", "minReplicaCount")).isZero();
        assertThat(scaled.<Integer>get("spec", "maxReplicaCount")).isEqualTo(20);
        assertThat(deployment.getSpec().getReplicas()).isNull();
    }

    @Test
    void watchesThePendingListOfEveryQueueTheWorkersConsumeOnTheirBroker() {
        URI broker = URI.create(worker.celeryBrokerUrl());
        List<String> expectedLists = worker.worker().queues().orElseThrow().stream().map(RedisKeys::pending).toList();

        List<Map<String, Object>> triggers = chart.all("ScaledObject").getFirst().get("spec", "triggers");

        assertThat(triggers).extracting(t -> t.get("type")).containsOnly("redis");
        assertThat(triggers).extracting(t -> metadata(t).get("listName"))
                .containsExactlyElementsOf(expectedLists).containsExactly("aurum:{q:default}:pending",
                        "aurum:{q:reports}:pending");
        assertThat(triggers).allSatisfy(t -> assertThat(metadata(t))
                .containsEntry("address", broker.getHost() + ":" + broker.getPort())
                .containsEntry("databaseIndex", broker.getPath().substring(1))
                .containsEntry("enableTLS", "true")
                .containsEntry("listLength", "40")
                .containsEntry("activationListLength", "1"));
    }

    @Test
    void authenticatesWithThePasswordTheWorkersGetFromTheSameSecretKey() {
        SecretKeySelector workersKey = chart.deployment("worker").getSpec().getTemplate().getSpec().getContainers()
                .getFirst().getEnv().stream().filter(e -> e.getName().equals("AURUM_API_OFFLOAD_REDIS_PASSWORD"))
                .map(EnvVar::getValueFrom).findFirst().orElseThrow().getSecretKeyRef();
        GenericKubernetesResource authentication = chart.all("TriggerAuthentication").getFirst();
        List<Map<String, Object>> triggers = chart.all("ScaledObject").getFirst().get("spec", "triggers");

        assertThat(triggers).allSatisfy(t -> assertThat(t.get("authenticationRef"))
                .isEqualTo(Map.of("name", authentication.getMetadata().getName())));
        assertThat(authentication.<List<Map<String, Object>>>get("spec", "secretTargetRef")).containsExactly(
                Map.of("parameter", "password", "name", workersKey.getName(), "key", workersKey.getKey()));
    }

    @Test
    void watchesTheDefaultQueueWhenTheWorkersConsumeNoOther() throws Exception {
        RenderedChart rendered = ChartScenario.renderWith("""
                config:
                  AURUM_API_OFFLOAD_DEFAULT_QUEUE: "mail"
                worker:
                  keda:
                    enabled: true
                """);

        List<Map<String, Object>> triggers = rendered.all("ScaledObject").getFirst().get("spec", "triggers");

        assertThat(triggers).singleElement().satisfies(t -> assertThat(metadata(t))
                .containsEntry("listName", RedisKeys.pending("mail"))
                .containsEntry("address", "redis-master:6379")
                .containsEntry("databaseIndex", "0")
                .containsEntry("enableTLS", "false"));
        assertThat(rendered.all("TriggerAuthentication")).isEmpty();
    }

    @Test
    void watchesAQueueNamedTwiceOnce() throws Exception {
        RenderedChart rendered = ChartScenario.renderWith("""
                config:
                  AURUM_API_OFFLOAD_WORKER_QUEUES: "reports,default,reports,,default"
                worker:
                  keda:
                    enabled: true
                """);

        List<Map<String, Object>> triggers = rendered.all("ScaledObject").getFirst().get("spec", "triggers");

        assertThat(triggers).extracting(t -> metadata(t).get("listName"))
                .containsExactly(RedisKeys.pending("reports"), RedisKeys.pending("default"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> trigger) {
        return (Map<String, Object>) trigger.get("metadata");
    }
}
