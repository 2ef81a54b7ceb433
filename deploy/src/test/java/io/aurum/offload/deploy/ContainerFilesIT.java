package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.deploy.Dockerfile.Instruction;
import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * The container files of both services ({@code src/main/docker/Dockerfile.jvm} and {@code .native}, in the Quarkus
 * layout) against what the build really leaves in {@code target/} and what the chart expects of the images. No
 * image is built here (no container runtime): an integration test, so that it runs after the services are packaged.
 */
class ContainerFilesIT {

    @ParameterizedTest
    @ValueSource(strings = {"api", "worker"})
    void jvmImageCopiesTheFastJarThePackagingLeftAndStartsItsRunJar(String component) throws IOException {
        Path module = module(component);
        Dockerfile dockerfile = Dockerfile.read(module.resolve("src/main/docker/Dockerfile.jvm"));
        DockerIgnore ignore = DockerIgnore.read(module.resolve(".dockerignore"));

        for (Instruction copy : dockerfile.all("COPY")) {
            List<String> sources = copy.operands().subList(0, copy.operands().size() - 1);
            for (String source : sources) {
                List<String> found = matching(module, source);
                assertThat(found).as("%s in %s", source, module).isNotEmpty();
                assertThat(found).allSatisfy(path -> assertThat(ignore.includes(path)).as("%s reaches the build", path)
                        .isTrue());
            }
        }
        assertThat(dockerfile.all("COPY")).anySatisfy(copy -> assertThat(copy.operands())
                .containsExactly("target/quarkus-app/*.jar", "/deployments/"));
        assertThat(dockerfile.all("ENV")).extracting(Instruction::arguments)
                .contains("JAVA_APP_JAR=/deployments/quarkus-run.jar");
        assertThat(matching(module, "target/quarkus-app/quarkus-run.jar")).hasSize(1);
        assertThat(dockerfile.last("FROM")).contains("openjdk-21-runtime");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "worker"})
    void nativeImageCopiesTheRunnerANativeBuildOfTheModuleNames(String component) {
        Path module = module(component);
        Dockerfile dockerfile = Dockerfile.read(module.resolve("src/main/docker/Dockerfile.native"));
        DockerIgnore ignore = DockerIgnore.read(module.resolve(".dockerignore"));
        // Quarkus names the native executable <finalName>-runner; finalName is <artifactId>-<version>.
        String runner = "target/aurum-offload-" + component + "-service-" + System.getProperty("aurum.version")
                + "-runner";

        Instruction copy = dockerfile.all("COPY").getFirst();
        PathMatcher source = FileSystems.getDefault().getPathMatcher("glob:" + copy.operands().getFirst());

        assertThat(source.matches(Path.of(runner))).as("%s matches %s", copy.operands().getFirst(), runner).isTrue();
        assertThat(ignore.includes(runner)).isTrue();
        assertThat(copy.operands().getLast()).isEqualTo("/work/application");
        assertThat(dockerfile.entrypoint()).containsExactly("./application");
        assertThat(dockerfile.last("WORKDIR")).isEqualTo("/work/");
    }

    @ParameterizedTest
    @CsvSource({"api,jvm", "api,native", "worker,jvm", "worker,native"})
    void imagesRunAsTheChartsNonRootUserAndExposeTheChartsPort(String component, String flavor) {
        Dockerfile dockerfile = Dockerfile.read(module(component).resolve("src/main/docker/Dockerfile." + flavor));
        PodSpec pod = ChartScenario.DEFAULTS.rendered().deployment(component).getSpec().getTemplate().getSpec();

        assertThat(dockerfile.last("USER")).isEqualTo(Long.toString(pod.getSecurityContext().getRunAsUser()))
                .isNotEqualTo("0");
        assertThat(dockerfile.last("EXPOSE"))
                .isEqualTo(pod.getContainers().getFirst().getPorts().getFirst().getContainerPort().toString());
        assertThat(dockerfile.instructions().getLast().keyword()).isEqualTo("ENTRYPOINT");
        assertThat(dockerfile.entrypoint()).isNotEmpty();
    }

    private static Path module(String component) {
        return ServiceProperties.repoDir().resolve(component + "-service");
    }

    /** Paths under {@code module} (relative, {@code /}-separated) that a COPY source names. */
    private static List<String> matching(Path module, String source) throws IOException {
        String pattern = source.replaceAll("/$", "");
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> files = Files.walk(module.resolve("target"), 3)) {
            return files.map(module::relativize).filter(matcher::matches)
                    .filter(p -> !source.endsWith("/") || Files.isDirectory(module.resolve(p)))
                    .map(Path::toString).toList();
        }
    }
}
