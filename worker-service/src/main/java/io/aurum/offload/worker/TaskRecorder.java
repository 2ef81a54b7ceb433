package io.aurum.offload.worker;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.Outcome;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisFailures;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.task.TaskState;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes what happens to a task into its record, and acknowledges the message only once its outcome is stored.
 */
@ApplicationScoped
class TaskRecorder {

    private final RedisConnections redis;
    private final WorkerIdentity identity;
    private final ObjectMapper mapper;
    private final Duration callTimeout;
    private final long resultTtlMs;
    private final long goneTtlMs;
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
    }

    /** Marks the task STARTED. Returns the attempt number, or -1 when the task had already finished. */
    long start(TaskMessage message, long startedAtMs) {
        return WorkerRedis.awaitPersistently(WorkerScripts.START.run(redis.results(),
                List.of(RedisKeys.task(message.id())),
                List.of(message.job(), message.queue(), message.tenant(), message.created(), startedAtMs)),
                callTimeout, resultFailures).toLong();
    }

    /**
     * Stores the outcome of {@code attempt} and acknowledges the delivery. Returns false when the outcome was fenced
     * off: a newer attempt owns the task, or it had finished already; the delivery is acknowledged either way,
     * since this worker's part in it is over.
     */
    boolean finish(Delivery delivery, TaskMessage message, long attempt, Outcome outcome, long finishedAtMs) {
        List<Object> args = finishArgs(attempt, outcome, finishedAtMs);
        if (redis.sameDatabase()) {
            args.add(delivery.raw());
            return WorkerRedis.awaitPersistently(WorkerScripts.FINISH_AND_ACK.run(redis.broker(),
                    List.of(RedisKeys.task(message.id()), RedisKeys.gone(message.id()),
                            RedisKeys.active(delivery.queue(), identity.id())), args),
                    callTimeout, resultFailures).toLong() == 1;
        }
        boolean stored = WorkerRedis.awaitPersistently(WorkerScripts.FINISH.run(redis.results(),
                List.of(RedisKeys.task(message.id()), RedisKeys.gone(message.id())), args),
                callTimeout, resultFailures).toLong() == 1;
        acknowledge(delivery);
        return stored;
    }

    /** Removes the delivery from this worker's active list. */
    void acknowledge(Delivery delivery) {
        Request remove = Request.cmd(Command.LREM).arg(RedisKeys.active(delivery.queue(), identity.id())).arg(1)
                .arg(delivery.raw());
        WorkerRedis.awaitPersistently(redis.broker().send(remove), callTimeout, brokerFailures);
    }

    private List<Object> finishArgs(long attempt, Outcome outcome, long finishedAtMs) {
        Outcome storable = encodable(outcome);
        List<Object> args = new java.util.ArrayList<>(List.of(Long.toString(attempt),
                storable instanceof Outcome.Success ? TaskState.SUCCESS.name() : TaskState.FAILURE.name(),
                finishedAtMs));
        switch (storable) {
            case Outcome.Success s -> args.addAll(List.of(encode(s), "", ""));
            case Outcome.Failure f -> args.addAll(List.of("", f.error().type(), f.error().message()));
        }
        args.add(resultTtlMs);
        args.add(goneTtlMs);
        return args;
    }

    /** A result that cannot be written as JSON turns the outcome into a failure rather than a crash. */
    private Outcome encodable(Outcome outcome) {
        if (outcome instanceof Outcome.Success s) {
            try {
                mapper.writeValueAsString(s.result());
            } catch (JsonProcessingException e) {
                return new Outcome.Failure(new TaskError("InvalidResult",
                        "the job's result cannot be written as JSON: " + e.getOriginalMessage()));
            }
        }
        return outcome;
    }

    private String encode(Outcome.Success success) {
        try {
            return mapper.writeValueAsString(success.result());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checked encodable before", e);
        }
    }
}
