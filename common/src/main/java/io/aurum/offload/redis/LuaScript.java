package io.aurum.offload.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

/**
 * A Lua script run by its SHA1 ({@code EVALSHA}), sent whole ({@code EVAL}) only when Redis does not know it yet,
 * as after a Redis restart. Keys always go in KEYS, so that Redis can check their slot.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha1;

    public LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /**
     * Runs the script. Arguments may be {@link String}, {@link Long}, {@code byte[]} or {@link Buffer}.
     */
    public Uni<Response> run(Redis redis, List<String> keys, List<?> args) {
        return redis.send(request(Command.EVALSHA, sha1, keys, args))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keys, args)));
    }

    public String name() {
        return name;
    }

    private static Request request(Command command, String script, List<String> keys, List<?> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        for (Object arg : args) {
            switch (arg) {
                case String s -> request.arg(s);
                case Long l -> request.arg(l);
                case Integer i -> request.arg(i.longValue());
                case byte[] bytes -> request.arg(Buffer.buffer(bytes));
                case Buffer buffer -> request.arg(buffer);
                default -> throw new IllegalArgumentException("Unsupported script argument " + arg.getClass());
            }
        }
        return request;
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
