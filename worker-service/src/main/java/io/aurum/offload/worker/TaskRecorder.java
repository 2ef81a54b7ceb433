package io.aurum.offload.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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
import io.vertx.mutiny.core.buffer.Buffer;
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

    /** Most verdicts written in one round trip; a worker rarely has more waiting than its concurrency. */
    private static final int MAX_BATCH = 256;
    /**
     * Writes under way at once. Two let Redis run one batch while this worker answers the last one and gathers the
     * next, instead of each side idling while the other works; the batches touch distinct tasks, and each take is
     * atomic in its script, so their order does not matter.
     */
    private static final int MAX_WRITERS = 2;
    /** Tells a waiting processor that it writes the next batch. */
    private static final Object LEAD = new Object();

    /** What {@link #recordAndSettle} did, as the scripts number it. */
    enum Recorded {
        FENCED, SUCCESS, RETRY, FAILURE, REVOKED
    }

    /**
     * The start of an attempt: its number, how many earlier attempts failed, and since when the task could run
     * (epoch ms: its retry time, its {@code not_before} or its creation); {@link #skip()} if the task must not run,
     * {@link #unread()} if the script that took it could not read the message.
     */
    record Start(long attempt, long failures, long readySinceMs) {

        /** Finished before (a redelivery), or cancelled: not run, only acknowledged. */
        boolean skip() {
            return attempt == -1 || revoked();
        }

        /** Cancelled before it ran; the script that took it made it REVOKED. */
        boolean revoked() {
            return attempt == -3;
        }

        boolean unread() {
            return attempt == -2;
        }

        /**
         * How long the task waited for this attempt, or -1 when unknown.
         *
         * <p>Known limitation: a task handed on after its worker died or stopped (more attempts than failures) has no
         * record of when it went back to its queue, so its wait is not measured. The wait compares this worker's
         * clock with the api's (creation) or another worker's (retry time): clock skew between hosts shifts it.
         */
        long queueWaitMs(long startedAtMs) {
            return attempt == failures + 1 && readySinceMs > 0 ? Math.max(0, startedAtMs - readySinceMs) : -1;
        }
    }

    private final RedisConnections redis;
    private final WorkerIdentity identity;
    private final TaskFetcher fetcher;
    private final ObjectMapper mapper;
    private final Duration callTimeout;
    private final long resultTtlMs;
    private final long goneTtlMs;
    private final int deadLetterMax;
    private final RedisFailures resultFailures = new RedisFailures("Redis result backend");
    private final RedisFailures brokerFailures = new RedisFailures("Redis broker");
    /** Verdicts waiting for a writer, in arrival order; also the lock of {@link #writers}. */
    private final List<Finish> waiting = new ArrayList<>();
    /** How many processors are writing verdicts now, at most {@link #MAX_WRITERS}. */
    private int writers;

    @Inject
    TaskRecorder(RedisConnections redis, WorkerIdentity identity, TaskFetcher fetcher, ObjectMapper mapper,
            OffloadSettings settings) {
        this.redis = redis;
        this.fetcher = fetcher;
        this.identity = identity;
        this.mapper = mapper;
        this.callTimeout = settings.redisTimeout();
        this.resultTtlMs = settings.resultTtl().toMillis();
        this.goneTtlMs = settings.resultTtl().plus(settings.expiredMarkerTtl()).toMillis();
        this.deadLetterMax = settings.deadLetterMax();
    }

    /** How an attempt was recorded, and the next task if one was taken in the same step. */
    record Finished(Recorded recorded, Taken next) {
    }

    /**
     * An attempt's verdict waiting to be written; {@code done} gets its {@link Finished}, or {@link #LEAD} when
     * its processor is to write the waiting verdicts itself.
     */
    private record Finish(Delivery delivery, TaskMessage message, long attempt, Verdict verdict, long nowMs,
            boolean takeNext, CompletableFuture<Object> done) {
    }

    /** Marks the task STARTED, unless it finished or was cancelled already. */
    Start start(TaskMessage message, long nowMs) {
        return startAll(List.of(message), nowMs).getFirst();
    }

    /**
     * Records the verdict of {@code attempt}, settles the delivery and, when {@code takeNext}, takes the next task
     * in the same round trip as the settlement. A fenced verdict (a newer attempt owns the task) changes nothing
     * but the acknowledgement: this worker's part in the task is over either way.
     *
     * <p>Group commit: up to {@link #MAX_WRITERS} processors write at once, each all the verdicts waiting when it
     * starts. A processor that finds a writer's place free writes its own verdict at once (a lone task pays no
     * hand-over); one that finds none waits, and a writer that ends hands its place to the first waiter, whose
     * batch is everything that queued meanwhile. Under load many tasks share a round trip. When broker and result
     * backend are one database that is one round trip per batch, next tasks taken and started in it; otherwise
     * three (record, settle and take, start).
     */
    Finished finish(Delivery delivery, TaskMessage message, long attempt, Verdict verdict, long nowMs,
            boolean takeNext) {
        Finish mine = new Finish(delivery, message, attempt, verdict, nowMs, takeNext, new CompletableFuture<>());
        boolean lead;
        synchronized (waiting) {
            lead = writers < MAX_WRITERS;
            if (lead) {
                writers++;
            } else {
                waiting.add(mine);
            }
        }
        if (!lead) {
            Object answer = await(mine.done());
            if (answer instanceof Finished finished) {
                return finished;
            }
        }
        return writeWaiting(mine);
    }

    /** {@link #finish} without taking a next task. */
    Recorded recordAndSettle(Delivery delivery, TaskMessage message, long attempt, Verdict verdict, long nowMs) {
        return finish(delivery, message, attempt, verdict, nowMs, false).recorded();
    }

    /** As a writer: writes {@code mine} and the verdicts waiting, answers each, hands the lead on. */
    private Finished writeWaiting(Finish mine) {
        List<Finish> batch = new ArrayList<>();
        batch.add(mine);
        synchronized (waiting) {
            List<Finish> taken = waiting.subList(0, Math.min(MAX_BATCH - 1, waiting.size()));
            batch.addAll(taken);
            taken.clear();
        }
        Finished own = null;
        try {
            List<Finished> written = write(batch);
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i) == mine) {
                    own = written.get(i);
                } else {
                    batch.get(i).done().complete(written.get(i));
                }
            }
        } catch (RuntimeException e) {
            // Outages are retried inside; this is a defect (or shutdown), and every processor in the batch reports it.
            batch.stream().filter(finish -> finish != mine).forEach(finish -> finish.done().completeExceptionally(e));
            throw e;
        } finally {
            handOver();
        }
        return own;
    }

    /**
     * Ends this write: the first waiter, if any, takes this writer's place. It leaves the waiting list here, under
     * the lock, so two writers ending at once hand their places to two different waiters.
     */
    private void handOver() {
        Finish next = null;
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                writers--;
            } else {
                next = waiting.removeFirst();
            }
        }
        if (next != null) {
            next.done().complete(LEAD);
        }
    }

    private static Object await(CompletableFuture<Object> done) {
        try {
            return done.get();
        } catch (InterruptedException e) {
            // Shutdown out of grace: the writer may still write this verdict, which is as safe as writing it here.
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new CompletionException(e.getCause());
        }
    }

    private List<Finished> write(List<Finish> batch) {
        int wanted = (int) batch.stream().filter(Finish::takeNext).count();
        List<Object> outcomes = new ArrayList<>(batch.size() * WorkerScripts.OUTCOME_VALUES);
        batch.forEach(f -> outcomes.addAll(outcome(f.delivery(), f.message(), f.attempt(), f.verdict(), f.nowMs())));
        long now = System.currentTimeMillis();
        List<Recorded> codes = new ArrayList<>(batch.size());
        List<Taken> taken = new ArrayList<>(wanted);
        if (redis.sameDatabase()) {
            List<String> keys = new ArrayList<>(batch.size() * 6 + fetcher.queueKeys().size());
            for (Finish f : batch) {
                keys.addAll(taskKeys(f.message().id()));
                keys.addAll(brokerKeys(f.delivery().queue()));
            }
            keys.addAll(fetcher.queueKeys());
            List<Object> args = new ArrayList<>(List.of((long) batch.size(), (long) wanted,
                    RedisKeys.taskDoneChannel(), RedisKeys.taskKeyPrefix(), now, resultTtlMs, goneTtlMs));
            args.addAll(outcomes);
            Response reply = await(WorkerScripts.FINISH_MANY.run(redis.broker(), keys, args), resultFailures);
            reply.get(0).forEach(code -> codes.add(recorded(code)));
            for (Response t : reply.get(1)) {
                taken.add(fetcher.adopt(t.get(1).toInteger(), t.get(0).toBuffer(),
                        new Start(t.get(2).toLong(), t.get(3).toLong(), t.size() > 4 ? t.get(4).toLong() : 0)));
            }
        } else {
            List<String> taskKeys = new ArrayList<>(batch.size() * 2);
            List<String> brokerKeys = new ArrayList<>(batch.size() * 4 + fetcher.queueKeys().size());
            for (Finish f : batch) {
                taskKeys.addAll(taskKeys(f.message().id()));
                brokerKeys.addAll(brokerKeys(f.delivery().queue()));
            }
            brokerKeys.addAll(fetcher.queueKeys());
            List<Object> recordArgs = new ArrayList<>(outcomes.size() + 1);
            recordArgs.add(RedisKeys.taskDoneChannel());
            recordArgs.addAll(outcomes);
            Response recorded = await(WorkerScripts.RECORD_MANY.run(redis.results(), taskKeys, recordArgs),
                    resultFailures);
            recorded.forEach(code -> codes.add(recorded(code)));
            List<Object> settleArgs = new ArrayList<>(outcomes.size() + batch.size() + 2);
            settleArgs.add((long) batch.size());
            settleArgs.add((long) wanted);
            settleArgs.addAll(outcomes);
            codes.forEach(code -> settleArgs.add((long) code.ordinal()));
            Response moved = await(WorkerScripts.SETTLE_AND_TAKE_MANY.run(redis.broker(), brokerKeys, settleArgs),
                    brokerFailures);
            taken.addAll(startTaken(moved, now));
        }
        List<Finished> written = new ArrayList<>(batch.size());
        int next = 0;
        for (int i = 0; i < batch.size(); i++) {
            Taken mine = batch.get(i).takeNext() && next < taken.size() ? taken.get(next++) : null;
            written.add(new Finished(codes.get(i), mine));
        }
        return written;
    }

    /** Starts, in the result backend, the messages a broker script took; an unreadable one is left to its reader. */
    private List<Taken> startTaken(Response moved, long nowMs) {
        List<Taken> taken = new ArrayList<>(moved.size());
        List<TaskMessage> readable = new ArrayList<>(moved.size());
        List<Integer> readableAt = new ArrayList<>(moved.size());
        for (Response t : moved) {
            Buffer raw = t.get(0).toBuffer();
            taken.add(fetcher.adopt(t.get(1).toInteger(), raw, null));
            TaskMessage message = TaskMessages.read(mapper, raw);
            if (message != null) {
                readable.add(message);
                readableAt.add(taken.size() - 1);
            }
        }
        if (!readable.isEmpty()) {
            List<Start> starts = startAll(readable, nowMs);
            for (int i = 0; i < readable.size(); i++) {
                int at = readableAt.get(i);
                taken.set(at, new Taken(taken.get(at).delivery(), starts.get(i)));
            }
        }
        return taken;
    }

    private List<Start> startAll(List<TaskMessage> messages, long nowMs) {
        List<String> keys = new ArrayList<>(messages.size());
        List<Object> args = new ArrayList<>(4 + messages.size() * 5);
        args.addAll(List.of(RedisKeys.taskDoneChannel(), nowMs, resultTtlMs, goneTtlMs));
        for (TaskMessage message : messages) {
            keys.add(RedisKeys.task(message.id()));
            args.addAll(List.of(message.id(), message.job(), message.queue(), message.tenant(), message.created()));
        }
        Response reply = await(WorkerScripts.START_MANY.run(redis.results(), keys, args), resultFailures);
        List<Start> starts = new ArrayList<>(messages.size());
        reply.forEach(start -> starts.add(new Start(start.get(0).toLong(), start.get(1).toLong(),
                start.get(2).toLong())));
        return starts;
    }

    /** Removes the delivery from this worker's active list. */
    void acknowledge(Delivery delivery) {
        Request remove = Request.cmd(Command.LREM).arg(RedisKeys.active(delivery.queue(), identity.id())).arg(1)
                .arg(delivery.raw());
        await(redis.broker().send(remove), brokerFailures);
    }

    /** Parks a message no one can read in its queue's dead letters, under an id made from its bytes; returns it. */
    String deadLetterUnreadable(Delivery delivery, long nowMs) {
        String id = "unreadable-" + Integer.toHexString(delivery.raw().toString().hashCode()) + "-" + nowMs;
        TaskMessage unknown = new TaskMessage(id, "", delivery.queue(), "", nowMs, null);
        List<Object> args = outcome(delivery, unknown, 0,
                new Verdict.Failed(new TaskError("UnreadableMessage", "the queued data is not a task message")), nowMs);
        args.add((long) Recorded.FAILURE.ordinal());
        await(WorkerScripts.SETTLE_MESSAGE.run(redis.broker(), brokerKeys(delivery.queue()), args), brokerFailures);
        return id;
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

    /** The 13 values of an outcome, as {@link WorkerScripts} reads them. */
    private List<Object> outcome(Delivery delivery, TaskMessage message, long attempt, Verdict verdict, long nowMs) {
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
