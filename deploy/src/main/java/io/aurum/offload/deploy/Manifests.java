package io.aurum.offload.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Reads rendered YAML as fabric8 Kubernetes objects, as strictly as the API server would: a field the model does not
 * know, or a number or boolean written where text belongs (or the reverse), is an error, not a value kept aside.
 *
 * <p>fabric8's own serialization is lenient on purpose: every model class keeps unknown fields in an
 * {@code additionalProperties} map (a Jackson any-setter), and its mapper moves a value of the wrong type there too.
 * Here the any-setters are switched off and scalar coercions refused, so a typo such as {@code readinesProbe} or a
 * quoted {@code containerPort} fails the parse.
 */
public final class Manifests {

    /** The kinds the chart renders, by {@code apiVersion/kind}. */
    private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    /**
     * KEDA's kinds. Known limitation: fabric8 has no model of them, so they are read generically and a misspelt field
     * in them is not caught here; KedaScaledObjectTest checks the fields the chart writes one by one.
     */
    private static final List<String> KEDA = List.of("keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication");

    private static final ObjectMapper YAML = strictMapper();
    /** For KEDA's kinds, whose generic model keeps every field through the any-setter the strict mapper ignores. */
    private static final ObjectMapper GENERIC = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    /** Every object of a multi-document YAML stream, in order; empty documents are skipped. */
    public static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    objects.add(toObject(document));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Rendered YAML is not YAML", e);
        }
        return objects;
    }

    private static HasMetadata toObject(JsonNode document) throws IOException {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        if (KEDA.contains(type)) {
            return GENERIC.treeToValue(document, GenericKubernetesResource.class);
        }
        Class<? extends HasMetadata> model = TYPED.get(type);
        if (model == null) {
            throw new IllegalArgumentException("Unexpected kind " + type + " in the rendered chart: add its model");
        }
        try {
            return YAML.treeToValue(document, model);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Not a valid " + type + " (" + document.path("metadata").path("name")
                    + "): " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder(new YAMLFactory())
                .annotationIntrospector(new NoAnySetters())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** Ignores {@code @JsonAnySetter}, so that unknown fields reach FAIL_ON_UNKNOWN_PROPERTIES. */
    private static final class NoAnySetters extends JacksonAnnotationIntrospector {

        @Override
        public Boolean hasAnySetter(Annotated annotated) {
            return Boolean.FALSE;
        }
    }
}
