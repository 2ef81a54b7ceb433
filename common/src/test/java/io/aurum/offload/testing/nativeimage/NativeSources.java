package io.aurum.offload.testing.nativeimage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the Quarkus native build of a service left for the {@code native-image} link: the runner jar (our classes,
 * the generated ones, and the reflection configuration Quarkus registered), its libraries, and the arguments. Read
 * from {@code target/native-check/native-sources} (the sources-only build every {@code package} runs), or, after a
 * real {@code -Dnative} build, from the {@code *-native-image-source-jar} folder it keeps.
 */
public final class NativeSources {

    static final String REFLECT_CONFIG = "META-INF/native-image/reflect-config.json";

    private final Path folder;
    private final Path runnerJar;
    private final boolean sourcesOnly;

    private NativeSources(Path folder, Path runnerJar, boolean sourcesOnly) {
        this.folder = folder;
        this.runnerJar = runnerJar;
        this.sourcesOnly = sourcesOnly;
    }

    /**
     * The newest native sources in a module's build folder. Fails, saying how to make them, when there are none or
     * when they are older than the compiled classes (left over from a build before the last compile).
     */
    public static NativeSources in(Path target) {
        List<NativeSources> found = new ArrayList<>();
        Path sourcesOnly = target.resolve("native-check").resolve("native-sources");
        runnerJarIn(sourcesOnly).ifPresent(runner -> found.add(new NativeSources(sourcesOnly, runner, true)));
        try (Stream<Path> folders = Files.list(target)) {
            folders.filter(f -> f.getFileName().toString().endsWith("-native-image-source-jar"))
                    .forEach(folder -> runnerJarIn(folder)
                            .ifPresent(runner -> found.add(new NativeSources(folder, runner, false))));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + target, e);
        }
        NativeSources newest = found.stream().max(Comparator.comparing(sources -> modified(sources.runnerJar)))
                .orElseThrow(() -> new IllegalStateException("No native sources under " + target + ": the package "
                        + "phase builds them in target/native-check unless -Dnative-check.skip is set"));
        FileTime compiled = newestClassIn(target.resolve("classes"));
        if (modified(newest.runnerJar).compareTo(compiled) < 0) {
            throw new IllegalStateException(newest.runnerJar + " is older than the classes compiled since: package "
                    + "again without -Dnative-check.skip");
        }
        return newest;
    }

    /** True for the sources-only build, false for the sources a real native build kept. */
    public boolean sourcesOnly() {
        return sourcesOnly;
    }

    public Path runnerJar() {
        return runnerJar;
    }

    /** The arguments for {@code native-image}; only the sources-only build writes them down. */
    public Optional<String> imageArguments() {
        Path args = folder.resolve("native-image.args");
        try {
            return Files.isRegularFile(args) ? Optional.of(Files.readString(args)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + args, e);
        }
    }

    /** Whether the runner jar holds this entry. */
    public boolean runnerHolds(String entry) {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            return jar.getEntry(entry) != null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + runnerJar, e);
        }
    }

    /** The reflection registrations Quarkus generated, by class name ({@code a.b.Outer$Inner}). */
    public Map<String, JsonNode> reflectionRegistrations() {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            JarEntry config = jar.getJarEntry(REFLECT_CONFIG);
            if (config == null) {
                throw new IllegalStateException(runnerJar + " holds no " + REFLECT_CONFIG);
            }
            Map<String, JsonNode> byName = new HashMap<>();
            try (InputStream in = jar.getInputStream(config)) {
                for (JsonNode entry : new ObjectMapper().readTree(in)) {
                    byName.putIfAbsent(entry.path("name").asText(), entry);
                }
            }
            return byName;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + REFLECT_CONFIG + " in " + runnerJar, e);
        }
    }

    /** Our classes as they ship: those in the runner jar, then those in our own libraries ({@code io.aurum...}). */
    public ClassFiles ourClasses() {
        List<Path> jars = new ArrayList<>(List.of(runnerJar));
        try (Stream<Path> libs = Files.walk(folder.resolve("lib"))) {
            libs.filter(jar -> jar.getFileName().toString().contains("io.aurum.offload")).sorted()
                    .forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the libraries in " + folder, e);
        }
        return ClassFiles.inJars(jars, ClassFiles.OURS);
    }

    private static FileTime newestClassIn(Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(Files::isRegularFile).map(NativeSources::modified).max(Comparator.naturalOrder())
                    .orElse(FileTime.fromMillis(0));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + classes, e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the time of " + file, e);
        }
    }

    private static Optional<Path> runnerJarIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder, e);
        }
    }
}
