package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.LintResult;

/**
 * {@code helm lint --strict} by Helm's own engine: with the chart's values, and with each scenario's values merged
 * into a copy of the chart (helm-java's lint takes no values files).
 *
 * <p>Helm lints in a mode where {@code fail} only logs, so the chart's own checks of values are not seen here; they
 * are tested through {@code helm template} in {@link ChartValidationTest}.
 */
class ChartLintTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path copies;

    @Test
    void lintsWithoutWarningsWithItsOwnValues() {
        LintResult lint = ChartScenario.chart().lint();

        assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void lintsWithoutWarningsWithEachScenariosValues(ChartScenario scenario) throws IOException {
        ObjectNode overlay = YAML.createObjectNode();
        for (Path file : scenario.valuesFiles()) {
            mergeInto(overlay, YAML.readTree(file.toFile()));
        }

        LintResult lint = lintWith(scenario.name(), overlay);

        assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void lintFailsOnATemplateThatRendersBrokenYaml() throws IOException {
        Path copy = copyOfChart(copies.resolve("broken"));
        Files.writeString(copy.resolve("templates/broken.yaml"), "kind: ConfigMap\nmetadata:\n  name: x\n data: 1\n");

        LintResult lint = HelmChart.at(copy).lint();

        assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isTrue();
        assertThat(String.join("\n", lint.getMessages())).contains("broken.yaml");
    }

    /** The chart's values.schema.json is enforced by lint too, not only by template and install. */
    @Test
    void lintFailsOnAValueOfTheWrongTypeNamingIt() throws IOException {
        LintResult lint = lintWith("string-grace", YAML.readTree("worker:\n  shutdownGraceSeconds: \"30s\"\n"));

        assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isTrue();
        assertThat(String.join("\n", lint.getMessages())).contains("/worker/shutdownGraceSeconds", "want integer");
    }

    /** Lints a copy of the chart whose values.yaml has {@code overlay} merged in. */
    private LintResult lintWith(String name, JsonNode overlay) throws IOException {
        Path copy = copyOfChart(copies.resolve(name));
        ObjectNode values = (ObjectNode) YAML.readTree(copy.resolve("values.yaml").toFile());
        mergeInto(values, overlay);
        YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
        return HelmChart.at(copy).lint();
    }

    /** Helm's merge of values files: maps merge key by key, anything else is replaced. */
    private static void mergeInto(ObjectNode target, JsonNode overlay) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue().isObject()) {
                mergeInto(object, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static Path copyOfChart(Path target) {
        Path source = ChartScenario.chart().dir();
        try (Stream<Path> files = Files.walk(source)) {
            files.forEach(file -> copy(file, target.resolve(source.relativize(file).toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static void copy(Path from, Path to) {
        try {
            if (Files.isDirectory(from)) {
                Files.createDirectories(to);
            } else {
                Files.copy(from, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
