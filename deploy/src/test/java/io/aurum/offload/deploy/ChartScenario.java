package io.aurum.offload.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The values the chart is rendered with in the tests: its own, and each file of its {@code ci/} folder (the
 * chart-testing convention) over them. A rendering is made once per scenario and shared by the tests.
 */
enum ChartScenario {

    DEFAULTS(null),
    KEDA("keda-values.yaml"),
    EXISTING_SECRET("existing-secret-values.yaml"),
    CUSTOM("custom-values.yaml");

    /** What the existing-secret scenario's Secret holds; in a cluster, the operator creates it. */
    static final Secret OPERATORS_SECRET = new SecretBuilder().withNewMetadata().withName("offload-passwords")
            .endMetadata()
            .withData(Map.of("redis", base64("operators-redis-password"), "dashboard", base64("operators-admin")))
            .build();

    private static final Map<ChartScenario, RenderedChart> RENDERED = new ConcurrentHashMap<>();

    private final String valuesFile;

    ChartScenario(String valuesFile) {
        this.valuesFile = valuesFile;
    }

    static HelmChart chart() {
        return HelmChart.at(Path.of(System.getProperty("aurum.chart.dir", "helm/aurum-offload")));
    }

    /** The chart rendered with {@code values}, a values file's YAML, over its defaults. */
    static RenderedChart renderWith(String values) throws IOException {
        Path file = Files.createTempFile("values", ".yaml");
        try {
            Files.writeString(file, values);
            return chart().render(List.of(file));
        } finally {
            Files.delete(file);
        }
    }

    static Path ciDir() {
        return chart().dir().resolve("ci");
    }

    /** The scenario's values files, applied over the chart's values.yaml; none for the defaults. */
    List<Path> valuesFiles() {
        return valuesFile == null ? List.of() : List.of(ciDir().resolve(valuesFile));
    }

    /** The ci/ file of the scenario, or null for the defaults. */
    String valuesFileName() {
        return valuesFile;
    }

    RenderedChart rendered() {
        return RENDERED.computeIfAbsent(this, scenario -> chart().render(scenario.valuesFiles()));
    }

    /** The environment the component's container starts with, Secrets resolved as the kubelet would. */
    Map<String, String> environment(String component) {
        RenderedChart chart = rendered();
        Deployment deployment = chart.deployment(component);
        return new ContainerEnvironment(chart, Map.of(OPERATORS_SECRET.getMetadata().getName(), OPERATORS_SECRET))
                .of(deployment);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
