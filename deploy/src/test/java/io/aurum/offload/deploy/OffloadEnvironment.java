package io.aurum.offload.deploy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.aurum.offload.config.OffloadSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;

/**
 * What the services make of an environment: the {@code AURUM_API_OFFLOAD_*} names {@link OffloadSettings} reads,
 * taken from SmallRye Config's own description of the mapping rather than from a list kept by hand, and the
 * settings built from an environment the way the services build them at startup (conversions and validation).
 */
final class OffloadEnvironment {

    /** Every property of the mapping, as SmallRye Config enumerates it ({@code *} for a map key). */
    static final Set<String> PROPERTY_NAMES = Set.copyOf(
            ConfigMappings.getProperties(new ConfigClass(OffloadSettings.class, OffloadSettings.PREFIX)).keySet());

    /**
     * The environment names of those properties: dots and dashes become {@code _}, letters upper case; a map key
     * (a schedule's name) is letters and digits, as the README asks of names set through the environment.
     */
    private static final Set<Pattern> ENVIRONMENT_NAMES = PROPERTY_NAMES.stream()
            .map(OffloadEnvironment::environmentPattern).collect(Collectors.toUnmodifiableSet());

    private OffloadEnvironment() {
    }

    /** Whether the services read a variable of this name as one of their settings. */
    static boolean isSetting(String environmentName) {
        return ENVIRONMENT_NAMES.stream().anyMatch(name -> name.matcher(environmentName).matches());
    }

    /**
     * The settings a service builds from this environment, as at startup; throws, naming the key, what would stop
     * the service.
     */
    static OffloadSettings settings(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(OffloadSettings.class)
                .withValidator(new BeanValidationConfigValidatorImpl())
                .withSources(new EnvConfigSource(environment, 300))
                .build()
                .getConfigMapping(OffloadSettings.class);
    }

    private static Pattern environmentPattern(String property) {
        String[] parts = property.replaceAll("\\[\\*]$", "").split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("[A-Z0-9]+");
            }
            regex.append(Pattern.quote(parts[i].replaceAll("[^A-Za-z0-9]", "_").toUpperCase()));
        }
        return Pattern.compile(regex.toString());
    }
}
