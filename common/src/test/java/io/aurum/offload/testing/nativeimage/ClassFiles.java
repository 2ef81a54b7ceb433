package io.aurum.offload.testing.nativeimage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Our compiled classes (those under {@code io/aurum/offload/}, or a narrower prefix) read with ASM, by internal
 * name ({@code io/aurum/offload/task/TaskMessage}), from jars or a folder of class files.
 */
public final class ClassFiles {

    public static final String OURS = "io/aurum/offload/";

    private final Map<String, ClassNode> byName;

    private ClassFiles(Map<String, ClassNode> byName) {
        this.byName = byName;
    }

    /** The classes under {@code prefix} in these jars; a class found in several keeps its first copy. */
    public static ClassFiles inJars(Iterable<Path> jars, String prefix) {
        Map<String, ClassNode> classes = new TreeMap<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : file.stream().toList()) {
                    if (entry.getName().startsWith(prefix) && entry.getName().endsWith(".class")) {
                        try (InputStream in = file.getInputStream(entry)) {
                            classes.putIfAbsent(internalName(entry.getName()), read(in.readAllBytes()));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + jar, e);
            }
        }
        return new ClassFiles(classes);
    }

    /** The classes under {@code prefix} in a folder of class files such as {@code target/test-classes}. */
    public static ClassFiles inFolder(Path root, String prefix) {
        Map<String, ClassNode> classes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root.resolve(prefix))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                classes.put(internalName(name), read(Files.readAllBytes(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the classes under " + root.resolve(prefix), e);
        }
        return new ClassFiles(classes);
    }

    public Map<String, ClassNode> all() {
        return byName;
    }

    /** The class, or null when it is not one of these. */
    public ClassNode get(String internalName) {
        return byName.get(internalName);
    }

    /** The method declared by {@code owner} with this name and descriptor, or null. */
    public MethodNode method(String owner, String name, String descriptor) {
        ClassNode node = byName.get(owner);
        if (node == null) {
            return null;
        }
        return node.methods.stream().filter(m -> m.name.equals(name) && m.desc.equals(descriptor)).findFirst()
                .orElse(null);
    }

    /** The binary name ({@code a.b.Outer$Inner}) of an internal name ({@code a/b/Outer$Inner}). */
    public static String binaryName(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String internalName(String classFile) {
        return classFile.substring(0, classFile.length() - ".class".length());
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        return node;
    }
}
