package io.aurum.offload.deploy;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The objects one rendering of the chart produced, with look-ups by kind, name and component. */
public record RenderedChart(List<HasMetadata> objects) {

    /** The label that tells the api's objects from the worker's. */
    public static final String COMPONENT = "app.kubernetes.io/component";

    public RenderedChart {
        objects = List.copyOf(objects);
    }

    static RenderedChart of(List<HasMetadata> objects) {
        return new RenderedChart(objects);
    }

    /** Every object of one model class. */
    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Every generic object (KEDA's) of one kind. */
    public List<GenericKubernetesResource> all(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    /** The object of that class and name, if rendered. */
    public <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** The one object of that class labelled with the component ({@code api}, {@code worker}); fails otherwise. */
    public <T extends HasMetadata> T ofComponent(Class<T> type, String component) {
        List<T> found = all(type).stream()
                .filter(o -> component.equals(o.getMetadata().getLabels().get(COMPONENT))).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("Expected one " + type.getSimpleName() + " of component " + component
                    + ", found " + found.size());
        }
        return found.getFirst();
    }

    public Deployment deployment(String component) {
        return ofComponent(Deployment.class, component);
    }

    /** The Secret of that name, if the chart rendered it (not when it refers to an existing one). */
    public Optional<Secret> secret(String name) {
        return find(Secret.class, name);
    }

    public Optional<ConfigMap> configMap(String name) {
        return find(ConfigMap.class, name);
    }
}
