package io.aurum.offload.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** A service module's {@code application.properties}, where its HTTP port and paths are set. */
final class ServiceProperties {

    private final Properties properties = new Properties();

    private ServiceProperties(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The properties of {@code api-service} or {@code worker-service}. */
    static ServiceProperties of(String module) {
        return new ServiceProperties(repoDir().resolve(module).resolve("src/main/resources/application.properties"));
    }

    static Path repoDir() {
        return Path.of(System.getProperty("aurum.repo.dir", ".."));
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip);
    }

    /** quarkus.http.port, if the service sets one. */
    Optional<Integer> httpPort() {
        return get("quarkus.http.port").map(Integer::valueOf);
    }

    /**
     * Where SmallRye Health answers {@code check} ({@code live}, {@code ready}, {@code started}): Quarkus' defaults,
     * {@code /q/health/<check>}, unless the service moved them.
     */
    String healthPath(String check) {
        String root = get("quarkus.http.non-application-root-path").orElse("q").replaceAll("^/|/$", "");
        String health = get("quarkus.smallrye-health.root-path").orElse("health").replaceAll("^/|/$", "");
        String path = switch (check) {
            case "live" -> get("quarkus.smallrye-health.liveness-path").orElse("live");
            case "ready" -> get("quarkus.smallrye-health.readiness-path").orElse("ready");
            case "started" -> get("quarkus.smallrye-health.startup-path").orElse("started");
            default -> throw new IllegalArgumentException(check);
        };
        return "/" + root + "/" + health + "/" + path;
    }
}
