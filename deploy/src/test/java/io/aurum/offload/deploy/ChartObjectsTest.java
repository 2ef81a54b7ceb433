package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** The objects the chart renders, read strictly as Kubernetes objects, for every scenario of values. */
class ChartObjectsTest {

    private static final List<String> COMPONENTS = List.of("api", "worker");

    @Test
    void everyCiValuesFileIsATestedScenario() throws Exception {
        List<String> scenarioFiles = java.util.Arrays.stream(ChartScenario.values())
                .map(ChartScenario::valuesFileName).filter(java.util.Objects::nonNull).toList();

        try (var files = Files.list(ChartScenario.ciDir())) {
            assertThat(files.map(Path::getFileName).map(Path::toString))
                    .containsExactlyInAnyOrderElementsOf(scenarioFiles);
        }
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void rendersBothDeploymentsTheApiServiceAndOneConfigMap(ChartScenario scenario) {
        RenderedChart chart = scenario.rendered();

        assertThat(chart.all(Deployment.class)).hasSize(2);
        assertThat(chart.all(ConfigMap.class)).hasSize(1);
        assertThat(chart.all(Service.class)).singleElement()
                .satisfies(s -> assertThat(s.getMetadata().getLabels()).containsEntry(RenderedChart.COMPONENT, "api"));
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void everyObjectCarriesTheStandardLabels(ChartScenario scenario) {
        assertThat(scenario.rendered().objects()).allSatisfy(object ->
                assertThat(object.getMetadata().getLabels()).as("labels of %s", describe(object))
                        .containsEntry("app.kubernetes.io/instance", HelmChart.RELEASE)
                        .containsEntry("app.kubernetes.io/version", "0.1.0")
                        .containsEntry("app.kubernetes.io/managed-by", "Helm")
                        .containsEntry("app.kubernetes.io/part-of", "aurum-offload")
                        .containsEntry("helm.sh/chart", "aurum-offload-0.1.0")
                        .containsKey("app.kubernetes.io/name"));
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void eachSelectorPicksThePodsOfItsComponentAndNoOther(ChartScenario scenario) {
        RenderedChart chart = scenario.rendered();
        Map<String, String> apiPods = podLabels(chart.deployment("api"));
        Map<String, String> workerPods = podLabels(chart.deployment("worker"));

        for (String component : COMPONENTS) {
            Deployment deployment = chart.deployment(component);
            assertThat(deployment.getSpec().getSelector().getMatchLabels())
                    .containsOnlyKeys("app.kubernetes.io/name", "app.kubernetes.io/instance", RenderedChart.COMPONENT)
                    .containsEntry(RenderedChart.COMPONENT, component);
            assertThat(podLabels(deployment)).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        }
        Map<String, String> service = chart.all(Service.class).getFirst().getSpec().getSelector();
        assertThat(apiPods).containsAllEntriesOf(service);
        assertThat(workerPods.entrySet()).doesNotContainAnyElementsOf(service.entrySet().stream()
                .filter(e -> e.getKey().equals(RenderedChart.COMPONENT)).toList());
        for (PodDisruptionBudget budget : chart.all(PodDisruptionBudget.class)) {
            String component = budget.getMetadata().getLabels().get(RenderedChart.COMPONENT);
            assertThat(budget.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(chart.deployment(component).getSpec().getSelector().getMatchLabels());
        }
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void podsRunAsNonRootOnAReadOnlyRootWithAWritableTmp(ChartScenario scenario) {
        for (String component : COMPONENTS) {
            PodSpec pod = pod(scenario.rendered().deployment(component));
            Container container = pod.getContainers().getFirst();

            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(185L);
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                    .findFirst().orElseThrow().getName();
            assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(tmpVolume))
                    .singleElement().extracting(Volume::getEmptyDir).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void probesAskTheQuarkusHealthPathsOnTheContainersHttpPort(ChartScenario scenario) {
        for (String component : COMPONENTS) {
            Container container = pod(scenario.rendered().deployment(component)).getContainers().getFirst();
            ServiceProperties service = ServiceProperties.of(component + "-service");
            int httpPort = ChartObjects.resolvePort(container, new io.fabric8.kubernetes.api.model.IntOrString("http"));

            assertProbe(container, container.getStartupProbe(), service.healthPath("started"), httpPort);
            assertProbe(container, container.getLivenessProbe(), service.healthPath("live"), httpPort);
            assertProbe(container, container.getReadinessProbe(), service.healthPath("ready"), httpPort);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "worker"})
    void containersExposeThePortTheirServiceListensOn(String component) {
        Optional<Integer> configured = ServiceProperties.of(component + "-service").httpPort();
        assertThat(configured).as("%s-service sets quarkus.http.port", component).isPresent();
        Container container = pod(ChartScenario.DEFAULTS.rendered().deployment(component)).getContainers().getFirst();

        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(configured.get());
        });
    }

    @Test
    void theApiServiceForwardsToTheApiContainersHttpPort() {
        RenderedChart chart = ChartScenario.DEFAULTS.rendered();
        Service service = chart.all(Service.class).getFirst();
        Container api = pod(chart.deployment("api")).getContainers().getFirst();

        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(80);
            assertThat(ChartObjects.resolvePort(api, port.getTargetPort())).isEqualTo(8080);
        });
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void passwordsComeFromSecretKeysAndAreWrittenNowhereElse(ChartScenario scenario) {
        RenderedChart chart = scenario.rendered();
        ConfigMap config = chart.all(ConfigMap.class).getFirst();

        assertThat(config.getData().keySet()).noneMatch(key -> key.contains("PASSWORD"));
        for (String component : COMPONENTS) {
            for (EnvVar variable : pod(chart.deployment(component)).getContainers().getFirst().getEnv()) {
                if (variable.getName().contains("PASSWORD")) {
                    assertThat(variable.getValue()).as(variable.getName()).isNull();
                    String secret = variable.getValueFrom().getSecretKeyRef().getName();
                    assertThat(chart.secret(secret).isPresent()
                            || secret.equals(ChartScenario.OPERATORS_SECRET.getMetadata().getName())).isTrue();
                }
            }
        }
        String rendered = ChartScenario.chart().template(scenario.valuesFiles());
        for (Secret secret : chart.all(Secret.class)) {
            secret.getData().values().forEach(encoded -> assertThat(rendered)
                    .doesNotContain(new String(java.util.Base64.getDecoder().decode(encoded))));
        }
    }

    @Test
    void withPasswordsInTheValuesBothServicesReadTheRedisOneAndOnlyTheApiTheAdminOne() {
        Map<String, String> api = ChartScenario.KEDA.environment("api");
        Map<String, String> worker = ChartScenario.KEDA.environment("worker");

        assertThat(api).containsEntry("AURUM_API_OFFLOAD_REDIS_PASSWORD", "keda-test-password")
                .doesNotContainKey("AURUM_API_OFFLOAD_API_ADMIN_PASSWORD");
        assertThat(worker).containsEntry("AURUM_API_OFFLOAD_REDIS_PASSWORD", "keda-test-password");
        assertThat(ChartScenario.CUSTOM.environment("api"))
                .containsEntry("AURUM_API_OFFLOAD_API_ADMIN_PASSWORD", "admin-test-password")
                .doesNotContainKey("AURUM_API_OFFLOAD_REDIS_PASSWORD");
        assertThat(ChartScenario.CUSTOM.environment("worker")).doesNotContainKeys(
                "AURUM_API_OFFLOAD_API_ADMIN_PASSWORD", "AURUM_API_OFFLOAD_REDIS_PASSWORD");
    }

    @Test
    void withAnExistingSecretTheChartCreatesNoneAndReadsItsKeys() {
        RenderedChart chart = ChartScenario.EXISTING_SECRET.rendered();

        assertThat(chart.all(Secret.class)).isEmpty();
        assertThat(ChartScenario.EXISTING_SECRET.environment("api"))
                .containsEntry("AURUM_API_OFFLOAD_REDIS_PASSWORD", "operators-redis-password")
                .containsEntry("AURUM_API_OFFLOAD_API_ADMIN_PASSWORD", "operators-admin");
        assertThat(ChartScenario.EXISTING_SECRET.environment("worker"))
                .containsEntry("AURUM_API_OFFLOAD_REDIS_PASSWORD", "operators-redis-password")
                .doesNotContainKey("AURUM_API_OFFLOAD_API_ADMIN_PASSWORD");
    }

    @Test
    void withoutPasswordsThereIsNoSecretAndNoPasswordVariable() {
        RenderedChart chart = ChartScenario.DEFAULTS.rendered();

        assertThat(chart.all(Secret.class)).isEmpty();
        for (String component : COMPONENTS) {
            assertThat(ChartScenario.DEFAULTS.environment(component).keySet()).noneMatch(k -> k.contains("PASSWORD"));
        }
    }

    @Test
    void aChangedSettingChangesThePodsChecksumSoThatAnUpgradeRollsThem(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path changed = Files.writeString(dir.resolve("changed.yaml"),
                "config:\n  AURUM_API_OFFLOAD_RESULT_TTL: \"3d\"\n");
        RenderedChart before = ChartScenario.DEFAULTS.rendered();
        RenderedChart after = ChartScenario.chart().render(List.of(changed));

        for (String component : COMPONENTS) {
            assertThat(checksum(after.deployment(component))).isNotEqualTo(checksum(before.deployment(component)));
        }
        assertThat(checksum(ChartScenario.chart().render(List.of()).deployment("api")))
                .isEqualTo(checksum(before.deployment("api")));
    }

    @Test
    void theApiIsScaledByItsAutoscalerWhichOwnsItsReplicaCount() {
        RenderedChart chart = ChartScenario.DEFAULTS.rendered();
        Deployment api = chart.deployment("api");

        assertThat(chart.all(HorizontalPodAutoscaler.class)).singleElement().satisfies(hpa -> {
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(api.getMetadata().getName());
            assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
            assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        });
        assertThat(api.getSpec().getReplicas()).isNull();
        assertThat(chart.deployment("worker").getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void withoutAutoscalingTheApiRunsItsReplicaCountAndResourcesAreTheValues() {
        RenderedChart chart = ChartScenario.CUSTOM.rendered();
        Container api = pod(chart.deployment("api")).getContainers().getFirst();
        Container worker = pod(chart.deployment("worker")).getContainers().getFirst();

        assertThat(chart.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(chart.all(PodDisruptionBudget.class)).isEmpty();
        assertThat(chart.all(ServiceAccount.class)).isEmpty();
        assertThat(chart.deployment("api").getSpec().getReplicas()).isEqualTo(3);
        assertThat(chart.deployment("worker").getSpec().getReplicas()).isEqualTo(5);
        assertThat(api.getResources().getLimits().get("memory").toString()).isEqualTo("192Mi");
        assertThat(api.getResources().getRequests().get("cpu").toString()).isEqualTo("1");
        assertThat(worker.getResources().getRequests().get("memory").toString()).isEqualTo("1Gi");
        assertThat(api.getEnv()).extracting(EnvVar::getName).contains("JAVA_OPTS_APPEND");
        assertThat(pod(chart.deployment("worker")).getNodeSelector()).containsEntry("workload", "jobs");
        assertThat(pod(chart.deployment("api")).getServiceAccountName()).isEqualTo("default");
        assertThat(chart.deployment("api").getSpec().getTemplate().getMetadata().getAnnotations())
                .doesNotContainKey("prometheus.io/scrape");
    }

    @Test
    void budgetsLetADrainStopOnePodOfEachComponentAtATime() {
        RenderedChart chart = ChartScenario.DEFAULTS.rendered();

        for (String component : COMPONENTS) {
            PodDisruptionBudget budget = chart.ofComponent(PodDisruptionBudget.class, component);
            assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).as(component).isEqualTo(1);
            assertThat(budget.getSpec().getMinAvailable()).as(component).isNull();
        }
    }

    /** With minAvailable 1, a single pod could never be evicted and every node drain would hang on it. */
    @Test
    void aSingleApiPodAndASingleWorkerCanStillBeDrained() throws Exception {
        RenderedChart chart = ChartScenario.renderWith("""
                api:
                  replicaCount: 1
                  autoscaling:
                    enabled: false
                worker:
                  replicaCount: 1
                """);

        for (String component : COMPONENTS) {
            assertThat(chart.deployment(component).getSpec().getReplicas()).isEqualTo(1);
            assertThat(chart.ofComponent(PodDisruptionBudget.class, component).getSpec().getMaxUnavailable())
                    .as(component).isEqualTo(new IntOrString(1));
        }
    }

    @Test
    void aBudgetMayKeepPodsUpInsteadWhenThereAreMoreThanItKeeps() throws Exception {
        RenderedChart chart = ChartScenario.renderWith("""
                api:
                  podDisruptionBudget:
                    minAvailable: 1
                worker:
                  podDisruptionBudget:
                    maxUnavailable: "50%"
                """);

        PodDisruptionBudget api = chart.ofComponent(PodDisruptionBudget.class, "api");
        PodDisruptionBudget worker = chart.ofComponent(PodDisruptionBudget.class, "worker");
        assertThat(api.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
        assertThat(api.getSpec().getMaxUnavailable()).isNull();
        assertThat(worker.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString("50%"));
    }

    /** Keys YAML would read as a boolean or an octal number arrive as the text they are. */
    @Test
    void secretKeysAreWrittenAsTextWhateverTheyLookLike() throws Exception {
        RenderedChart chart = ChartScenario.renderWith("""
                auth:
                  redisPassword: hunter2
                  redisPasswordKey: "true"
                  adminPassword: hunter3
                  adminPasswordKey: "0123"
                """);

        Secret secret = chart.all(Secret.class).getFirst();
        assertThat(secret.getData()).containsOnlyKeys("true", "0123");
        Map<String, String> keys = new HashMap<>();
        for (EnvVar env : chart.deployment("api").getSpec().getTemplate().getSpec().getContainers().getFirst()
                .getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                keys.put(env.getName(), env.getValueFrom().getSecretKeyRef().getKey());
            }
        }
        assertThat(keys).containsEntry("AURUM_API_OFFLOAD_REDIS_PASSWORD", "true")
                .containsEntry("AURUM_API_OFFLOAD_API_ADMIN_PASSWORD", "0123");
    }

    /**
     * The JVM images set JAVA_OPTS_APPEND to tell the JVM about JBoss LogManager; a container variable of that name
     * replaces the image's, so an example that sets it must carry the image's flags along.
     */
    @Test
    void theJavaOptionsOfTheExampleKeepTheImagesLogManager() {
        Container api = pod(ChartScenario.CUSTOM.rendered().deployment("api")).getContainers().getFirst();
        String imageOptions = Dockerfile.read(ServiceProperties.repoDir()
                .resolve("api-service/src/main/docker/Dockerfile.jvm")).all("ENV").stream()
                .map(Dockerfile.Instruction::arguments).filter(a -> a.startsWith("JAVA_OPTS_APPEND="))
                .map(a -> a.substring("JAVA_OPTS_APPEND=".length()).replace("\"", "")).findFirst().orElseThrow();

        assertThat(imageOptions).contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        assertThat(api.getEnv()).filteredOn(e -> e.getName().equals("JAVA_OPTS_APPEND")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).contains(imageOptions));
    }

    @Test
    void metricsAnnotationsPointAtEachServicesMetricsPort() {
        RenderedChart chart = ChartScenario.DEFAULTS.rendered();

        for (String component : COMPONENTS) {
            Deployment deployment = chart.deployment(component);
            int port = pod(deployment).getContainers().getFirst().getPorts().getFirst().getContainerPort();
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/path", "/q/metrics")
                    .containsEntry("prometheus.io/port", Integer.toString(port));
        }
    }

    private static void assertProbe(Container container, Probe probe, String path, int httpPort) {
        assertThat(probe).as("probe on %s of %s", path, container.getName()).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(ChartObjects.resolvePort(container, probe.getHttpGet().getPort())).isEqualTo(httpPort);
    }

    private static PodSpec pod(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    private static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    private static String checksum(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getName();
    }
}
