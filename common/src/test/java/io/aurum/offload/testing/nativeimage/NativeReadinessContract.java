package io.aurum.offload.testing.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Native readiness of one service, checked on the sources its Quarkus native build produced (see
 * {@link NativeSources}), where no GraalVM is at hand to link them: what Jackson needs by reflection is registered,
 * and no static initialiser holds a thread, a socket or a seed. Each service runs it as its {@code NativeReadinessIT},
 * after the package phase.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NativeReadinessContract {

    private static final String TASK_MESSAGE = "io/aurum/offload/task/TaskMessage";

    private NativeSources sources;
    private ClassFiles ours;

    @BeforeAll
    void readNativeSources() {
        sources = NativeSources.in(Path.of("target"));
        ours = sources.ourClasses();
    }

    @Test
    void nativeBuildLeftWhatTheImageLinkNeeds() {
        assertThat(sources.runnerHolds("io/quarkus/runner/Feature.class")).as("Quarkus' GraalVM feature").isTrue();
        assertThat(sources.runnerHolds(NativeSources.REFLECT_CONFIG)).isTrue();
        assertThat(ours.all()).as("our classes in %s", sources.runnerJar()).isNotEmpty();
        if (sources.sourcesOnly()) {
            String args = sources.imageArguments().orElseThrow();
            assertThat(args).as("native-image.args").contains("--no-fallback")
                    .endsWith("-jar " + sources.runnerJar().getFileName());
        }
    }

    @Test
    void everyClassJacksonReadsOrWritesIsRegisteredForReflection() {
        Set<String> jsonTypes = JacksonTypes.of(ours);
        Map<String, JsonNode> registered = sources.reflectionRegistrations();

        List<String> missing = jsonTypes.stream().map(ClassFiles::binaryName)
                .filter(name -> !isFullyRegistered(registered.get(name))).toList();
        System.out.printf("[native] %d classes cross JSON, %d of them not registered for reflection %s: %s%n",
                jsonTypes.size(), missing.size(), missing, jsonTypes.stream().map(ClassFiles::binaryName).toList());
        assertThat(jsonTypes).as("the derivation finds the task message both services exchange").contains(TASK_MESSAGE);
        assertThat(missing).as("classes Jackson reads or writes without @RegisterForReflection (or a REST "
                + "return type) giving it their constructors, methods and fields").isEmpty();
    }

    @Test
    void noStaticInitialiserStartsThreadsOpensSocketsOrFreezesRandomnessOrTime() {
        List<String> violations = StaticInitialisers.violations(ours);

        System.out.printf("[native] %d classes of ours audited, %d static initialisers, %d violations%n",
                ours.all().size(), ours.all().values().stream()
                        .filter(c -> c.methods.stream().anyMatch(m -> m.name.equals("<clinit>"))).count(),
                violations.size());
        assertThat(violations).isEmpty();
    }

    /** Registered the way {@code @RegisterForReflection} does: every constructor, method and field. */
    private static boolean isFullyRegistered(JsonNode entry) {
        return entry != null && entry.path("allDeclaredConstructors").asBoolean()
                && entry.path("allDeclaredMethods").asBoolean() && entry.path("allDeclaredFields").asBoolean();
    }
}
