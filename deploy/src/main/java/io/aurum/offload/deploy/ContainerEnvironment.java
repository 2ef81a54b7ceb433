package io.aurum.offload.deploy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The environment a container of a rendered Deployment would start with, worked out as the kubelet does: first
 * every {@code envFrom} source in order, then {@code env} entries, later ones winning. ConfigMaps and Secrets are
 * looked up among the rendered objects, and Secrets the chart does not create in {@code existingSecrets}.
 *
 * <p>Only the sources the chart uses are understood (ConfigMap {@code envFrom}, literal values, Secret keys); any
 * other is an error rather than a silently missing variable.
 */
public final class ContainerEnvironment {

    private final RenderedChart chart;
    private final Map<String, Secret> existingSecrets;

    public ContainerEnvironment(RenderedChart chart, Map<String, Secret> existingSecrets) {
        this.chart = chart;
        this.existingSecrets = Map.copyOf(existingSecrets);
    }

    /** The environment of the Deployment's only container. */
    public Map<String, String> of(Deployment deployment) {
        var containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new IllegalStateException(deployment.getMetadata().getName() + " has " + containers.size()
                    + " containers; expected one");
        }
        return of(containers.getFirst());
    }

    public Map<String, String> of(Container container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() == null || source.getPrefix() != null) {
                throw new IllegalStateException("Unsupported envFrom source " + source);
            }
            environment.putAll(configMap(source.getConfigMapRef().getName()).getData());
        }
        for (EnvVar variable : container.getEnv()) {
            environment.put(variable.getName(), value(variable));
        }
        return environment;
    }

    private String value(EnvVar variable) {
        if (variable.getValueFrom() == null) {
            return variable.getValue();
        }
        SecretKeySelector key = variable.getValueFrom().getSecretKeyRef();
        if (key == null) {
            throw new IllegalStateException("Unsupported source of " + variable.getName() + ": "
                    + variable.getValueFrom());
        }
        Secret secret = secret(key.getName());
        String encoded = Optional.ofNullable(secret.getData()).map(data -> data.get(key.getKey())).orElse(null);
        if (encoded == null) {
            throw new IllegalStateException("Secret " + key.getName() + " has no key " + key.getKey()
                    + " for " + variable.getName());
        }
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    private ConfigMap configMap(String name) {
        return chart.configMap(name)
                .orElseThrow(() -> new IllegalStateException("ConfigMap " + name + " is not in the rendered chart"));
    }

    private Secret secret(String name) {
        return chart.secret(name).or(() -> Optional.ofNullable(existingSecrets.get(name)))
                .orElseThrow(() -> new IllegalStateException("Secret " + name + " is neither rendered nor given"));
    }
}
