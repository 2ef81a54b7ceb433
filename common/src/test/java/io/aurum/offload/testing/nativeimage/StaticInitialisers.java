package io.aurum.offload.testing.nativeimage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds static initialisers of ours that start threads, open sockets or clients, seed randomness, or read the
 * clock, the environment or the host. A native image runs static initialisers at build time and freezes what they
 * made into the image: a thread or socket does not survive that, and a seed, a time or a variable read then is the
 * same in every process started from the image.
 *
 * <p>Each {@code <clinit>} is followed into the methods and constructors of ours it calls, at any depth. Lambdas it
 * only creates are not followed: their bodies run when called, which is at run time unless the initialiser calls
 * them through code of ours.
 */
public final class StaticInitialisers {

    /** A call no static initialiser may reach; {@code method} {@code *} stands for every method of the owner. */
    record Forbidden(String owner, String method, String why) {

        boolean matches(MethodInsnNode call) {
            return call.owner.equals(owner) && ("*".equals(method) || call.name.equals(method));
        }
    }

    static final List<Forbidden> FORBIDDEN = List.of(
            new Forbidden("java/security/SecureRandom", "*", "seeds randomness"),
            new Forbidden("java/util/Random", "<init>", "seeds randomness"),
            new Forbidden("java/util/SplittableRandom", "<init>", "seeds randomness"),
            new Forbidden("java/util/random/RandomGenerator", "*", "seeds randomness"),
            new Forbidden("java/util/concurrent/ThreadLocalRandom", "current", "seeds randomness"),
            new Forbidden("java/lang/Math", "random", "seeds randomness"),
            new Forbidden("java/util/UUID", "randomUUID", "seeds randomness"),
            new Forbidden("java/lang/Thread", "<init>", "makes a thread"),
            new Forbidden("java/lang/Thread", "start", "starts a thread"),
            new Forbidden("java/lang/Thread", "ofVirtual", "makes a thread"),
            new Forbidden("java/lang/Thread", "ofPlatform", "makes a thread"),
            new Forbidden("java/lang/Thread", "startVirtualThread", "starts a thread"),
            new Forbidden("java/util/concurrent/Executors", "*", "makes a thread pool"),
            new Forbidden("java/util/concurrent/ThreadPoolExecutor", "<init>", "makes a thread pool"),
            new Forbidden("java/util/concurrent/ScheduledThreadPoolExecutor", "<init>", "makes a thread pool"),
            new Forbidden("java/util/concurrent/ForkJoinPool", "<init>", "makes a thread pool"),
            new Forbidden("java/util/concurrent/CompletableFuture", "supplyAsync", "starts work on a pool"),
            new Forbidden("java/util/concurrent/CompletableFuture", "runAsync", "starts work on a pool"),
            new Forbidden("java/util/Timer", "<init>", "starts a timer thread"),
            new Forbidden("java/net/Socket", "<init>", "opens a socket"),
            new Forbidden("java/net/ServerSocket", "<init>", "opens a socket"),
            new Forbidden("java/net/DatagramSocket", "<init>", "opens a socket"),
            new Forbidden("java/nio/channels/SocketChannel", "open", "opens a socket"),
            new Forbidden("java/nio/channels/ServerSocketChannel", "open", "opens a socket"),
            new Forbidden("java/nio/channels/DatagramChannel", "open", "opens a socket"),
            new Forbidden("java/nio/channels/Selector", "open", "opens a selector"),
            new Forbidden("java/net/URL", "openConnection", "opens a connection"),
            new Forbidden("java/net/URL", "openStream", "opens a connection"),
            new Forbidden("java/net/http/HttpClient", "newHttpClient", "makes an HTTP client"),
            new Forbidden("java/net/http/HttpClient", "newBuilder", "makes an HTTP client"),
            new Forbidden("java/net/InetAddress", "getLocalHost", "reads the host"),
            new Forbidden("java/net/InetAddress", "getByName", "resolves a host"),
            new Forbidden("java/net/InetAddress", "getAllByName", "resolves a host"),
            new Forbidden("io/vertx/core/Vertx", "vertx", "starts event loops"),
            new Forbidden("io/vertx/mutiny/core/Vertx", "vertx", "starts event loops"),
            new Forbidden("io/vertx/redis/client/Redis", "createClient", "makes a Redis client"),
            new Forbidden("io/vertx/mutiny/redis/client/Redis", "createClient", "makes a Redis client"),
            new Forbidden("java/lang/ProcessBuilder", "start", "starts a process"),
            new Forbidden("java/lang/Runtime", "exec", "starts a process"),
            new Forbidden("java/lang/System", "currentTimeMillis", "reads the clock"),
            new Forbidden("java/lang/System", "nanoTime", "reads the clock"),
            new Forbidden("java/time/Instant", "now", "reads the clock"),
            new Forbidden("java/time/LocalDateTime", "now", "reads the clock"),
            new Forbidden("java/time/ZonedDateTime", "now", "reads the clock"),
            new Forbidden("java/time/OffsetDateTime", "now", "reads the clock"),
            new Forbidden("java/lang/System", "getenv", "reads the environment"),
            new Forbidden("java/lang/System", "getProperty", "reads a system property"));

    private StaticInitialisers() {
    }

    /**
     * One line per forbidden call a static initialiser reaches, naming the class, the path of our calls that
     * leads there and why it is forbidden; empty when there is none.
     */
    public static List<String> violations(ClassFiles classes) {
        List<String> found = new ArrayList<>();
        for (ClassNode node : classes.all().values()) {
            MethodNode clinit = classes.method(node.name, "<clinit>", "()V");
            if (clinit != null) {
                follow(classes, ClassFiles.binaryName(node.name) + ".<clinit>", clinit, new HashSet<>(), found);
            }
        }
        return found;
    }

    private static void follow(ClassFiles classes, String path, MethodNode method, Set<MethodNode> seen,
            List<String> found) {
        if (!seen.add(method)) {
            return;
        }
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call) {
                FORBIDDEN.stream().filter(f -> f.matches(call)).findFirst().ifPresent(f -> found.add(
                        "%s calls %s.%s: %s at image build time".formatted(path, ClassFiles.binaryName(call.owner),
                                call.name, f.why())));
                MethodNode callee = classes.method(call.owner, call.name, call.desc);
                if (callee != null) {
                    follow(classes, path + " -> " + ClassFiles.binaryName(call.owner) + "." + call.name, callee, seen,
                            found);
                }
            }
        }
    }
}
