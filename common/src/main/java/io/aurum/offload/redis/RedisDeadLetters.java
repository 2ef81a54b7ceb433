package io.aurum.offload.redis;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.client.DeadLetter;
import io.aurum.offload.client.DeadLetterAdmin;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Dead letters in Redis: per queue, a sorted set of task ids by failure time and a hash of entries (see
 * {@link RedisKeys#dead(String)}). Written by the worker; read and changed here.
 */
@ApplicationScoped
public class RedisDeadLetters implements DeadLetterAdmin {

    private static final Logger LOG = Logger.getLogger(RedisDeadLetters.class);

    /**
     * Sets a dead task's record back to PENDING (recreating it from the entry if it expired), keeping its attempt
     * count so that fencing stays monotonic. The watch of its first life goes too: nobody waits on a FAILURE.
     * KEYS: task, gone. ARGV: job, queue, tenant, created (ms).
     */
    private static final LuaScript RESET_RECORD = new LuaScript("reset-record", """
            redis.call('HSET', KEYS[1], 'job', ARGV[1], 'queue', ARGV[2], 'tenant', ARGV[3], 'created', ARGV[4],
                'state', 'PENDING', 'failures', 0)
            redis.call('HDEL', KEYS[1], 'finished', 'result', 'error_type', 'error_message', 'retry_at', 'progress',
                'cancel', 'watch')
            redis.call('PERSIST', KEYS[1])
            redis.call('DEL', KEYS[2])
            return 1
            """);

    /** Moves a dead letter's message back to the taking end of its queue. KEYS: dead, entries, pending. ARGV: id. */
    private static final LuaScript REQUEUE = new LuaScript("requeue-dead", """
            local entry = redis.call('HGET', KEYS[2], ARGV[1])
            if not entry then
              return 0
            end
            local message = cjson.decode(entry)['message']
            redis.call('RPUSH', KEYS[3], message)
            redis.call('HDEL', KEYS[2], ARGV[1])
            redis.call('ZREM', KEYS[1], ARGV[1])
            return 1
            """);

    /** Forgets a dead letter. KEYS: dead, entries. ARGV: id. */
    private static final LuaScript DELETE = new LuaScript("delete-dead", """
            redis.call('ZREM', KEYS[1], ARGV[1])
            return redis.call('HDEL', KEYS[2], ARGV[1])
            """);

    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final OffloadSettings settings;
    private final RedisFailures failures = new RedisFailures("Redis broker (dead letters)");

    @Inject
    public RedisDeadLetters(RedisConnections redis, ObjectMapper mapper, OffloadSettings settings) {
        this.redis = redis;
        this.mapper = mapper;
        this.settings = settings;
    }

    @Override
    public Uni<List<DeadLetter>> list(String queue, int limit) {
        if (limit <= 0) {
            return Uni.createFrom().item(List.of());
        }
        Request newest = Request.cmd(Command.ZREVRANGE).arg(RedisKeys.dead(queue)).arg(0).arg(limit - 1);
        return guard(redis.broker().send(newest)).chain(ids -> {
            if (ids == null || ids.size() == 0) {
                return Uni.createFrom().item(List.<DeadLetter>of());
            }
            Request entries = Request.cmd(Command.HMGET).arg(RedisKeys.deadEntries(queue));
            ids.forEach(id -> entries.arg(id.toString()));
            return guard(redis.broker().send(entries)).map(this::parseAll);
        });
    }

    @Override
    public Uni<Long> count(String queue) {
        return guard(redis.broker().send(Request.cmd(Command.ZCARD).arg(RedisKeys.dead(queue)))).map(Response::toLong);
    }

    @Override
    public Uni<Boolean> requeue(String queue, String taskId) {
        Request read = Request.cmd(Command.HGET).arg(RedisKeys.deadEntries(queue)).arg(taskId);
        return guard(redis.broker().send(read)).chain(entry -> {
            JsonNode node = entry == null ? null : parse(entry.toString());
            if (node == null || node.path("job").asText().isEmpty()) {
                return Uni.createFrom().item(false);
            }
            // The record first: once the message is back on the queue a worker may take it at once.
            // Known limitation: an admin deleting or requeueing the same entry between these two steps can leave the
            // record PENDING with no message queued; it then answers PENDING until its owner cancels it.
            return guard(RESET_RECORD.run(redis.results(), List.of(RedisKeys.task(taskId), RedisKeys.gone(taskId)),
                    List.of(node.path("job").asText(), queue, node.path("tenant").asText(), createdOf(node))))
                    .chain(() -> guard(REQUEUE.run(redis.broker(), List.of(RedisKeys.dead(queue),
                            RedisKeys.deadEntries(queue), RedisKeys.pending(queue)), List.of(taskId))))
                    .map(moved -> moved.toInteger() == 1)
                    .invoke(moved -> {
                        if (moved) {
                            TaskLog.of("PENDING", taskId, node.path("job").asText(), queue)
                                    .field("reason", "dead-letter-requeued").info(LOG);
                        }
                    });
        });
    }

    @Override
    public Uni<Boolean> delete(String queue, String taskId) {
        return guard(DELETE.run(redis.broker(), List.of(RedisKeys.dead(queue), RedisKeys.deadEntries(queue)),
                List.of(taskId))).map(removed -> removed.toInteger() == 1)
                .invoke(deleted -> {
                    if (deleted) {
                        TaskLog.of("dead-letter-deleted", taskId, null, queue).info(LOG);
                    }
                });
    }

    private List<DeadLetter> parseAll(Response entries) {
        List<DeadLetter> letters = new ArrayList<>();
        for (Response entry : entries) {
            JsonNode node = entry == null ? null : parse(entry.toString());
            if (node != null) {
                letters.add(new DeadLetter(node.path("task_id").asText(), node.path("job").asText(),
                        node.path("queue").asText(), node.path("tenant").asText(), node.path("attempts").asLong(),
                        Instant.parse(node.path("failed_at").asText(Instant.EPOCH.toString())),
                        new TaskError(node.path("error").path("type").asText(),
                                node.path("error").path("message").asText())));
            }
        }
        return letters;
    }

    private long createdOf(JsonNode entry) {
        JsonNode message = parse(entry.path("message").asText());
        return message == null ? System.currentTimeMillis() : message.path("created").asLong();
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    private <T> Uni<T> guard(Uni<T> call) {
        return call.ifNoItem().after(settings.redisTimeout())
                .failWith(() -> new TimeoutException("no answer within " + settings.redisTimeout()))
                .onItem().invoke(failures::succeeded)
                .onFailure().transform(failures::classify);
    }
}
