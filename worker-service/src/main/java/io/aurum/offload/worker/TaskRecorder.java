package io.aurum.offload.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisFailures;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskMessage;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes what happens to a task into its record, and settles its message (acknowledged, delayed for a retry, or
 * dead-lettered) only once that is stored.
 */
@ApplicationScoped
class TaskRecorder {

    /** What {@link #recordAndSettle} did, as the scripts number it. */
    enum Recorded {
        FENCED, SUCCESS, RETRY, FAILURE, REVOKED
    }

    /** The start of an attempt: its number and how many earlier attempts failed; {@link #skip()} if none. */
    record Start(long attempt, long failures) {

        boolean skip() {
            return attempt < 0;
        }
    }

    private final RedisConnections redis;
    private final WorkerIdentity identity;
    private final ObjectMapper mapper;
    private final Duration callTimeout;
    private final long resultTtlMs;
    private final long goneTtlMs;
    private final int deadLetterMax;
    private final RedisFailures resultFailures = new RedisFailures("Redis result backend");
    private final RedisFailures brokerFailures = new RedisFailures("Redis broker");

    @Inject
    TaskRecorder(RedisConnections redis, WorkerIdentity identity, ObjectMapper mapper, OffloadSettings settings) {
        this.redis = redis;
        this.identity = identity;
        this.mapper = mapper;
        this.callTimeout = settings.redisTimeout();
        this.resultTtlMs = settings.resultTtl().toMillis();
        this.goneTtlMs = settings.resultTtl().plus(settings.expiredMarkerTtl()).toMillis();
        this.deadLetterMax = settings.deadLetterMax();
    }

    /** Marks the task STARTED, unless it finished or was cancelled already. */
    Start start(TaskMessage message, long nowMs) {
        Response reply = await(WorkerScripts.START.run(redis.results(), taskKeys(message.id()),
                List.of(message.job(), message.queue(), message.tenant(), message.created(), nowMs, resultTtlMs,
                        goneTtlMs)), resultFailures);
        return new Start(reply.get(0).toLong(), reply.get(1).toLong());
    }

    /**
     * Records the verdict of {@code attempt} and settles the delivery. A fenced verdict (a newer attempt owns the
     * task) changes nothing but the acknowledgement: this worker's part in the task is over either way.
     */
    Recorded recordAndSettle(Delivery delivery, TaskMessage message, long attempt, Verdict verdict, long nowMs) {
        List<Object> args = args(delivery, message, attempt, verdict, nowMs);
        if (redis.sameDatabase()) {
            List<String> keys = new ArrayList<>(taskKeys(message.id()));
            keys.addAll(brokerKeys(delivery.queue()));
            return recorded(await(WorkerScripts.RECORD_AND_SETTLE.run(redis.broker(), keys, args), resultFailures));
        }
        Recorded recorded = recorded(await(WorkerScripts.RECORD_OUTCOME.run(redis.results(), taskKeys(message.id()),
                args), resultFailures));
        args.add(Long.toString(recorded.ordinal()));
        await(WorkerScripts.SETTLE_MESSAGE.run(redis.broker(), brokerKeys(delivery.queue()), args), brokerFailures);
        return recorded;
    }

    /** Removes the delivery from this worker's active list. */
    void acknowledge(Delivery delivery) {
        Request remove = Request.cmd(Command.LREM).arg(RedisKeys.active(delivery.queue(), identity.id())).arg(1)
                .arg(delivery.raw());
        await(redis.broker().send(remove), brokerFailures);
    }

    /** Parks a message no one can read in its queue's dead letters, under an id made from its bytes. */
    void deadLetterUnreadable(Delivery delivery, long nowMs) {
        String id = "unreadable-" + Integer.toHexString(delivery.raw().toString().hashCode()) + "-" + nowMs;
        TaskMessage unknown = new TaskMessage(id, "", delivery.queue(), "", nowMs, null);
        List<Object> args = args(delivery, unknown, 0,
                new Verdict.Failed(new TaskError("UnreadableMessage", "the queued data is not a task message")), nowMs);
        args.add(Long.toString(Recorded.FAILURE.ordinal()));
        await(WorkerScripts.SETTLE_MESSAGE.run(redis.broker(), brokerKeys(delivery.queue()), args), brokerFailures);
    }

    /** Publishes progress of a running attempt; ignored once the attempt no longer owns the task. */
    void reportProgress(String taskId, long attempt, JsonNode progress) {
        await(WorkerScripts.PROGRESS.run(redis.results(), List.of(RedisKeys.task(taskId)),
                List.of(Long.toString(attempt), write(progress))), resultFailures);
    }

    /** Of the given running tasks, those whose owner asked to cancel them; one round trip. */
    List<String> cancelled(List<String> taskIds) {
        List<Request> reads = taskIds.stream()
                .map(id -> Request.cmd(Command.HGET).arg(RedisKeys.task(id)).arg("cancel")).toList();
        // One try: a missed round is repeated at the next check, so no retry here.
        List<Response> flags = redis.results().batch(reads).ifNoItem().after(callTimeout).fail()
                .onItem().invoke(resultFailures::succeeded)
                .onFailure().transform(resultFailures::classify)
                .await().indefinitely();
        List<String> cancelled = new ArrayList<>();
        for (int i = 0; i < taskIds.size(); i++) {
            if (flags.get(i) != null && "1".equals(flags.get(i).toString())) {
                cancelled.add(taskIds.get(i));
            }
        }
        return cancelled;
    }

    private List<Object> args(Delivery delivery, TaskMessage message, long attempt, Verdict verdict, long nowMs) {
        String outcome = "SUCCESS";
        String result = "";
        TaskError error = new TaskError("", "");
        long retryAt = 0;
        switch (verdict) {
            case Verdict.Succeeded s -> result = s.resultJson();
            case Verdict.Retry r -> {
                outcome = "RETRY";
                error = r.error();
                retryAt = r.retryAtMs();
            }
            case Verdict.Failed f -> {
                outcome = "FAILURE";
                error = f.error();
            }
        }
        String deadEntry = verdict instanceof Verdict.Failed ? deadEntry(delivery, message, attempt, error, nowMs) : "";
        return new ArrayList<>(List.of(Long.toString(attempt), outcome, nowMs, result, error.type(),
                error.message(), resultTtlMs, goneTtlMs, retryAt, delivery.raw(), deadEntry, deadLetterMax,
                message.id()));
    }

    /** A dead letter: the last error and the message as it was queued, so it can be requeued as is. */
    private String deadEntry(Delivery delivery, TaskMessage message, long attempt, TaskError error, long nowMs) {
        ObjectNode entry = mapper.createObjectNode()
                .put("task_id", message.id())
                .put("job", message.job())
                .put("queue", delivery.queue())
                .put("tenant", message.tenant())
                .put("attempts", attempt)
                .put("failed_at", Instant.ofEpochMilli(nowMs).toString())
                .put("message", delivery.raw().toString());
        entry.putObject("error").put("type", error.type()).put("message", error.message());
        return write(entry);
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private List<String> brokerKeys(String queue) {
        return List.of(RedisKeys.active(queue, identity.id()), RedisKeys.delayed(queue), RedisKeys.dead(queue),
                RedisKeys.deadEntries(queue));
    }

    private static List<String> taskKeys(String taskId) {
        return List.of(RedisKeys.task(taskId), RedisKeys.gone(taskId));
    }

    private static Recorded recorded(Response code) {
        return Recorded.values()[code.toInteger()];
    }

    private <T> T await(io.smallrye.mutiny.Uni<T> call, RedisFailures failures) {
        return WorkerRedis.awaitPersistently(call, callTimeout, failures);
    }
}
