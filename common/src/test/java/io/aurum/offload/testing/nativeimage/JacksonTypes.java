package io.aurum.offload.testing.nativeimage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.RecordComponentNode;

/**
 * Which of our classes Jackson reads or writes, worked out from the bytecode rather than listed by hand, so a new
 * DTO cannot be forgotten. A class crosses JSON when
 * <ul>
 * <li>it, or one of its fields, methods, parameters or record components, carries a Jackson annotation
 * ({@code @JsonProperty}, {@code @JsonInclude}...);</li>
 * <li>its class literal is handed straight to Jackson ({@code mapper.readValue(bytes, TaskMessage.class)}), or it is
 * a type argument of an anonymous {@code TypeReference};</li>
 * <li>a Jakarta REST resource method returns it ({@code Uni<QueueList>});</li>
 * <li>or it is the type (or a type argument) of a field or record component of a class that crosses JSON, or its
 * superclass.</li>
 * </ul>
 * Known limitation: an unannotated class written only through a variable of type {@code Object} (say a
 * {@code Response} entity) is not found; our DTOs all carry {@code @JsonProperty} or {@code @JsonInclude}.
 */
public final class JacksonTypes {

    private static final String JACKSON = "com/fasterxml/jackson/";
    private static final List<String> JACKSON_ANNOTATIONS = List.of("Lcom/fasterxml/jackson/annotation/",
            "Lcom/fasterxml/jackson/databind/annotation/");
    private static final Set<String> REST_METHODS = Set.of("Ljakarta/ws/rs/GET;", "Ljakarta/ws/rs/POST;",
            "Ljakarta/ws/rs/PUT;", "Ljakarta/ws/rs/DELETE;", "Ljakarta/ws/rs/PATCH;");
    private static final String TYPE_REFERENCE = "com/fasterxml/jackson/core/type/TypeReference";
    private static final Pattern OUR_TYPE = Pattern.compile("L(" + Pattern.quote(ClassFiles.OURS) + "[^;<]+)");

    private JacksonTypes() {
    }

    /** The internal names of the classes among {@code classes} that cross JSON, in name order. */
    public static Set<String> of(ClassFiles classes) {
        Set<String> found = new TreeSet<>();
        Deque<String> toVisit = new ArrayDeque<>();
        for (ClassNode node : classes.all().values()) {
            if (isAnnotatedForJackson(node)) {
                toVisit.add(node.name);
            }
            if (TYPE_REFERENCE.equals(node.superName)) {
                toVisit.addAll(ourTypesIn(node.signature));
            }
            for (MethodNode method : node.methods) {
                toVisit.addAll(literalsHandedToJackson(method));
                if (hasAny(method.visibleAnnotations, REST_METHODS::contains)) {
                    toVisit.addAll(ourTypesIn(returnPart(method)));
                }
            }
        }
        while (!toVisit.isEmpty()) {
            String name = toVisit.pop();
            ClassNode node = classes.get(name);
            if (node != null && found.add(name)) {
                toVisit.addAll(typesItHolds(node));
            }
        }
        return found;
    }

    private static boolean isAnnotatedForJackson(ClassNode node) {
        Stream<List<AnnotationNode>> places = Stream.of(
                Stream.of(node.visibleAnnotations, node.invisibleAnnotations),
                node.fields.stream().flatMap(f -> Stream.of(f.visibleAnnotations, f.invisibleAnnotations)),
                node.methods.stream().flatMap(JacksonTypes::annotationsOf),
                node.recordComponents == null ? Stream.<List<AnnotationNode>>empty()
                        : node.recordComponents.stream().flatMap(c -> Stream.of(c.visibleAnnotations,
                                c.invisibleAnnotations)))
                .flatMap(s -> s);
        return places.anyMatch(list -> hasAny(list, JacksonTypes::isJacksonAnnotation));
    }

    private static Stream<List<AnnotationNode>> annotationsOf(MethodNode method) {
        Stream<List<AnnotationNode>> own = Stream.of(method.visibleAnnotations, method.invisibleAnnotations);
        Stream<List<AnnotationNode>> parameters = Stream.of(method.visibleParameterAnnotations,
                method.invisibleParameterAnnotations).filter(p -> p != null).flatMap(Stream::of);
        return Stream.concat(own, parameters);
    }

    private static boolean isJacksonAnnotation(String descriptor) {
        return JACKSON_ANNOTATIONS.stream().anyMatch(descriptor::startsWith);
    }

    private static boolean hasAny(List<AnnotationNode> annotations, Predicate<String> descriptor) {
        return annotations != null && annotations.stream().anyMatch(a -> descriptor.test(a.desc));
    }

    /** Our class literals loaded just before a call into Jackson: {@code readValue(bytes, TaskMessage.class)}. */
    private static List<String> literalsHandedToJackson(MethodNode method) {
        List<String> handed = new ArrayList<>();
        String pending = null;
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof Type type && type.getSort() == Type.OBJECT
                    && type.getInternalName().startsWith(ClassFiles.OURS)) {
                pending = type.getInternalName();
            } else if (insn instanceof MethodInsnNode call) {
                if (pending != null && call.owner.startsWith(JACKSON)) {
                    handed.add(pending);
                }
                pending = null;
            }
        }
        return handed;
    }

    /** What a class that crosses JSON holds: its fields' and record components' types, and its superclass. */
    private static List<String> typesItHolds(ClassNode node) {
        List<String> held = new ArrayList<>();
        for (FieldNode field : node.fields) {
            if ((field.access & Opcodes.ACC_STATIC) == 0) {
                held.addAll(ourTypesIn(field.signature != null ? field.signature : field.desc));
            }
        }
        if (node.recordComponents != null) {
            for (RecordComponentNode component : node.recordComponents) {
                held.addAll(ourTypesIn(component.signature != null ? component.signature : component.descriptor));
            }
        }
        if (node.superName != null && node.superName.startsWith(ClassFiles.OURS)) {
            held.add(node.superName);
        }
        return held;
    }

    private static String returnPart(MethodNode method) {
        String signature = method.signature != null ? method.signature : method.desc;
        return signature.substring(signature.lastIndexOf(')') + 1);
    }

    /** Our classes named in a descriptor or generic signature, type arguments included. */
    private static List<String> ourTypesIn(String signature) {
        if (signature == null) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        Matcher match = OUR_TYPE.matcher(signature);
        while (match.find()) {
            types.add(match.group(1));
        }
        return types;
    }
}
