package io.aurum.offload.api;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Declares the embedded {@code admin} user of the security extension from {@code aurum.api.offload.api.admin-password}
 * (or {@code AURUM_API_OFFLOAD_API_ADMIN_PASSWORD}), and no user at all when that is unset or blank: then nobody
 * can authenticate and the admin endpoints refuse everyone. A plain expression in application.properties cannot do
 * this, as an empty password there stops startup instead. Registered in {@code META-INF/services}.
 */
public class AdminUserSource implements ConfigSourceFactory {

    static final String PASSWORD_KEY = "aurum.api.offload.api.admin-password";
    static final String USER = "admin";

    /** Above application.properties (250), below environment variables (300). */
    private static final int ORDINAL = 260;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue password = context.getValue(PASSWORD_KEY);
        if (password == null || password.getValue() == null || password.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.security.users.embedded.users." + USER, password.getValue(),
                "quarkus.security.users.embedded.roles." + USER, DeadLetterResource.ROLE),
                "aurum-offload-admin-user", ORDINAL));
    }
}
