package io.aurum.offload.redis;

import java.io.IOException;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.IdempotencyConflictException;
import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.client.UnknownJobException;
import io.aurum.offload.client.WaitSlots;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.metrics.TaskMetrics;
import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskLog;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.tracing.TaskTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

/**
 * The Redis backend of {@link OffloadClient}.
 *
 * <p>Enqueue order is what keeps clients and workers honest when broker and result backend are separate: the
 * message is pushed first and the PENDING record written second, and only if no worker has written it yet. So a
 * client that got an id always finds a task that will run, and a worker never sees its record set back to
 * PENDING; a worker that takes a task before its record exists writes the record itself from the message. When
 * both are one database a single script does every step in one round trip.
 */
@ApplicationScoped
@Typed(RedisOffloadClient.class)
public class RedisOffloadClient implements OffloadClient {

    private static final Logger LOG = Logger.getLogger(RedisOffloadClient.class);
    /** On an enqueue span whose idempotency key answered with an earlier task: that task's id. */
    private static final AttributeKey<String> EARLIER_TASK = AttributeKey.stringKey("aurum.earlier_task_id");

    private final RedisConnections redis;
    private final JobRegistry registry;
    private final TaskIds ids;
    private final ObjectMapper mapper;
    private final ObjectWriter canonicalWriter;
    private final OffloadSettings settings;
    private final TaskDoneSubscriber taskDone;
    private final WaitSlots waitSlots;
    private final TaskMetrics metrics;
    private final TaskTracing tracing;
    private final RedisFailures brokerFailures = new RedisFailures("Redis broker");
    private final RedisFailures resultFailures = new RedisFailures("Redis result backend");

    @Inject
    public RedisOffloadClient(RedisConnections redis, JobRegistry registry, TaskIds ids, ObjectMapper mapper,
            OffloadSettings settings, TaskDoneSubscriber taskDone, TaskMetrics metrics, TaskTracing tracing) {
        this.redis = redis;
        this.registry = registry;
        this.ids = ids;
        this.mapper = mapper;
        this.canonicalWriter = mapper.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);
        this.settings = settings;
        this.taskDone = taskDone;
        this.waitSlots = new WaitSlots(settings.api().maxWaiting());
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /**
     * A client outside CDI (tests, tools), with a subscription of its own for waiting reads; it subscribes only
     * if a read waits, and is then stopped with {@link TaskDoneSubscriber#stop()} through {@link #taskDone()}.
     * It records no spans and queues messages without trace context.
     */
    public RedisOffloadClient(RedisConnections redis, JobRegistry registry, TaskIds ids, ObjectMapper mapper,
            OffloadSettings settings) {
        this(redis, registry, ids, mapper, settings, new TaskDoneSubscriber(redis, settings),
                TaskMetrics.unrecorded(registry), TaskTracing.none());
    }

    @Override
    public Uni<String> runJobAsync(String job, ObjectNode payload, EnqueueOptions options) {
        if (!registry.contains(job)) {
            return Uni.createFrom().failure(new UnknownJobException(job));
        }
        String queue = options.queue() == null ? settings.defaultQueue() : options.queue();
        long now = System.currentTimeMillis();
        TaskMessage untraced = new TaskMessage(ids.next(), job, queue, options.tenant(), now, payload);
        Span span = tracing.startEnqueue(untraced);
        TaskMessage message = TaskTracing.carrying(untraced, span);
        long notBefore = options.notBefore() == null || options.notBefore().toEpochMilli() <= now
                ? 0 : options.notBefore().toEpochMilli();
        Enqueue enqueue = new Enqueue(message, encode(message), notBefore, idempotency(options, job, payload), 0);
        Uni<String> stored = redis.sameDatabase() ? enqueueAtomically(enqueue) : enqueueInOrder(enqueue);
        return traced(stored, span, message).invoke(id -> {
            if (id.equals(message.id())) {
                metrics.enqueued(job, queue);
                TaskLog.of("PENDING", message).field("not_before", notBefore > 0 ? options.notBefore() : null)
                        .info(LOG);
            }
        });
    }

    /**
     * Ends the enqueue's span when the enqueue ends: with an error status when it failed, and marked when an
     * idempotency key answered with an earlier task instead (whose own enqueue span is the one its run follows).
     */
    private static Uni<String> traced(Uni<String> stored, Span span, TaskMessage message) {
        return stored.onItemOrFailure().invoke((id, failure) -> {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            } else if (!message.id().equals(id)) {
                span.setAttribute(EARLIER_TASK, id);
            }
            span.end();
        }).onCancellation().invoke(span::end);
    }

    /**
     * Enqueues {@code message} unless {@code slotClaim} is held already: how a periodic job runs once per slot however
     * many worker replicas fire it. The claim and the push are one broker script, so a slot is never claimed without
     * its task; the PENDING record follows as in any enqueue. With broker and results in one database all of it is
     * one script. Emits true when this call enqueued the task, false when the slot was claimed before.
     *
     * @param slotClaim the slot's key ({@link RedisKeys#beatSlot}), in the hash slot of the message's queue
     * @param claimTtl  how long the claim is kept: longer than any replica could fire the same slot late
     */
    public Uni<Boolean> enqueueOnce(TaskMessage untraced, String slotClaim, Duration claimTtl) {
        if (!registry.contains(untraced.job())) {
            return Uni.createFrom().failure(new UnknownJobException(untraced.job()));
        }
        Span span = tracing.startEnqueue(untraced);
        TaskMessage message = TaskTracing.carrying(untraced, span);
        return enqueueOnce(message, encode(message), slotClaim, claimTtl)
                .onItemOrFailure().invoke((enqueued, failure) -> {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                    }
                    span.end();
                });
    }

    private Uni<Boolean> enqueueOnce(TaskMessage message, byte[] encoded, String slotClaim, Duration claimTtl) {
        if (redis.sameDatabase()) {
            return guard(ClientScripts.ENQUEUE.run(redis.broker(),
                    List.of(RedisKeys.task(message.id()), RedisKeys.pending(message.queue()),
                            RedisKeys.delayed(message.queue()), slotClaim, RedisKeys.recent(message.queue())),
                    List.of(message.job(), message.queue(), message.tenant(), message.created(), encoded, 0L,
                            message.id(), claimTtl.toMillis(), message.id(), settings.recentTasksMax())),
                    brokerFailures)
                    .map(reply -> reply.get(0).toInteger() == 1)
                    .invoke(enqueued -> countEnqueued(enqueued, message));
        }
        return guard(ClientScripts.CLAIM_SLOT_AND_PUSH.run(redis.broker(),
                List.of(slotClaim, RedisKeys.pending(message.queue())),
                List.of(message.id(), encoded, claimTtl.toMillis())), brokerFailures)
                .chain(reply -> reply.toInteger() == 1
                        // Queued and claimed: a record that cannot be written now is written by the worker.
                        ? recordIfAbsent(message, 0).replaceWith(true).onFailure().recoverWithItem(true)
                        : Uni.createFrom().item(false))
                .invoke(enqueued -> countEnqueued(enqueued, message));
    }

    private void countEnqueued(boolean enqueued, TaskMessage message) {
        if (enqueued) {
            metrics.enqueued(message.job(), message.queue());
        }
    }

    /**
     * Reads the task in one round trip. A waiting read registers its waiter before that read and marks the record
     * watched in it, so a finish published any time after the read wakes it; it then reads once more, as it does
     * when its time runs out. A wait beyond {@code max-waiting} reads at once.
     */
    @Override
    public Uni<TaskLookup> fetchJobResult(String taskId, String tenant, Duration wait) {
        if (!TaskIds.isWellFormed(taskId)) {
            return Uni.createFrom().item(new TaskLookup.Unknown(taskId));
        }
        if (!wait.isPositive() || !waitSlots.tryTake()) {
            return read(taskId, tenant, false);
        }
        taskDone.start();
        long deadline = System.nanoTime() + wait.toNanos();
        return readUntilFinished(taskId, tenant, deadline).onTermination().invoke(waitSlots::release);
    }

    @Override
    public void endWaits() {
        waitSlots.end();
        taskDone.waiters().wakeAll();
    }

    /** The subscription that wakes this client's waiting reads. */
    public TaskDoneSubscriber taskDone() {
        return taskDone;
    }

    /**
     * One round of a waiting read: register, read (watching), and unless the answer is final wait to be woken or
     * for the deadline. Woken, it goes round again (a wake-up after a resubscription may find the task unfinished);
     * at the deadline it reads a last time, without watching.
     */
    private Uni<TaskLookup> readUntilFinished(String taskId, String tenant, long deadline) {
        TaskWaiters.Waiter waiter = taskDone.waiters().register(taskId);
        return read(taskId, tenant, true)
                .chain(lookup -> {
                    long left = deadline - System.nanoTime();
                    if (isFinal(lookup) || left <= 0 || waitSlots.isEnded()) {
                        return Uni.createFrom().item(lookup);
                    }
                    return waiter.wokenWith(Duration.ofNanos(left)).chain(woken -> {
                        if (woken == null || waitSlots.isEnded() && woken.isEmpty()) {
                            return read(taskId, tenant, false);
                        }
                        TaskLookup published = woken.map(record -> fromPublished(taskId, tenant, record))
                                .orElse(null);
                        return published != null ? Uni.createFrom().item(published)
                                : readUntilFinished(taskId, tenant, deadline);
                    });
                })
                .onTermination().invoke(() -> taskDone.waiters().unregister(waiter));
    }

    /**
     * The answer from the record a finish published, so a woken read needs no second round trip; null when it
     * does not settle the read (not final, not the caller's, not readable), and the read goes round again.
     */
    private TaskLookup fromPublished(String taskId, String tenant, String record) {
        try {
            Map<String, String> fields = TaskRecords.fromPublished(record, mapper);
            if (tenant != null && !tenant.equals(fields.getOrDefault("tenant", ""))) {
                return null;
            }
            TaskLookup.Found found = new TaskLookup.Found(TaskRecords.toStatus(taskId, fields, mapper));
            return found.status().state().isFinished() ? found : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True when waiting longer cannot change the answer: the task finished, or the caller cannot see it. */
    private static boolean isFinal(TaskLookup lookup) {
        return !(lookup instanceof TaskLookup.Found found) || found.status().state().isFinished();
    }

    private Uni<TaskLookup> read(String taskId, String tenant, boolean watch) {
        List<String> args = new java.util.ArrayList<>(tenantArgs(tenant));
        args.add(watch ? "1" : "0");
        return guard(ClientScripts.STATUS.run(redis.results(), taskKeys(taskId), args), resultFailures)
                .map(reply -> switch (reply.get(0).toInteger()) {
                    case 1 -> new TaskLookup.Found(status(taskId, reply.get(1)));
                    case 2 -> new TaskLookup.Expired(taskId);
                    default -> new TaskLookup.Unknown(taskId);
                });
    }

    @Override
    public Uni<CancelOutcome> cancel(String taskId, String tenant) {
        return revoke(taskId, tenant).invoke(outcome -> {
            if (outcome instanceof CancelOutcome.Revoked revoked) {
                metrics.revoked(revoked.status().job(), revoked.status().queue());
            }
        });
    }

    /** A cancel, uncounted: also how a task queued for an idempotency key that another request won is withdrawn. */
    private Uni<CancelOutcome> revoke(String taskId, String tenant) {
        if (!TaskIds.isWellFormed(taskId)) {
            return Uni.createFrom().item(new CancelOutcome.Unknown(taskId));
        }
        List<Object> args = new java.util.ArrayList<>(tenantArgs(tenant));
        args.addAll(List.of(System.currentTimeMillis(), settings.resultTtl().toMillis(), goneTtlMs(),
                RedisKeys.taskDoneChannel(), taskId));
        return guard(ClientScripts.CANCEL.run(redis.results(), taskKeys(taskId), args), resultFailures)
                .map(reply -> {
                    CancelOutcome outcome = switch (reply.get(0).toInteger()) {
                        case 1 -> new CancelOutcome.Revoked(status(taskId, reply.get(1)));
                        case 2 -> new CancelOutcome.Requested(status(taskId, reply.get(1)));
                        case 3 -> new CancelOutcome.AlreadyFinished(status(taskId, reply.get(1)));
                        default -> new CancelOutcome.Unknown(taskId);
                    };
                    logCancel(outcome);
                    return outcome;
                });
    }

    @Override
    public String backendName() {
        return "redis";
    }

    /**
     * The steps of one enqueue: the message, its bytes, its delay, its idempotency claim (or null), and until when
     * it is held in the delayed set while its claim is decided (ms, or 0 when not held).
     */
    private record Enqueue(TaskMessage message, byte[] encoded, long notBefore, Claim claim, long holdUntil) {

        Enqueue heldUntil(long until) {
            return new Enqueue(message, encoded, notBefore, claim, until);
        }

        String claimValue() {
            return claim == null ? "" : message.id() + ":" + claim.payloadHash();
        }
    }

    /** An idempotency key's Redis key and the digest of what it was used for. */
    private record Claim(String key, String payloadHash) {

        /** The id of the task an earlier claim names, if it was made for the same job and payload. */
        String taskIdIfSame(String earlierClaim) {
            int colon = earlierClaim.lastIndexOf(':');
            if (colon < 0 || !earlierClaim.substring(colon + 1).equals(payloadHash)) {
                throw new IdempotencyConflictException(colon < 0 ? earlierClaim : earlierClaim.substring(0, colon));
            }
            return earlierClaim.substring(0, colon);
        }
    }

    private Uni<String> enqueueAtomically(Enqueue e) {
        TaskMessage m = e.message();
        String idempotencyKey = e.claim() == null ? RedisKeys.idempotency(m.tenant(), "none") : e.claim().key();
        return guard(ClientScripts.ENQUEUE.run(redis.broker(),
                List.of(RedisKeys.task(m.id()), RedisKeys.pending(m.queue()), RedisKeys.delayed(m.queue()),
                        idempotencyKey, RedisKeys.recent(m.queue())),
                List.of(m.job(), m.queue(), m.tenant(), m.created(), e.encoded(), e.notBefore(), e.claimValue(),
                        settings.idempotencyWindow().toMillis(), m.id(), settings.recentTasksMax())), brokerFailures)
                .map(reply -> reply.get(0).toInteger() == 1 ? m.id() : e.claim().taskIdIfSame(reply.get(1).toString()));
    }

    /**
     * Separate databases: an earlier claim is looked up first; otherwise the task is queued and recorded, and the
     * key claimed last. Two concurrent first uses of one key both queue a task, so a keyed task is queued held: in
     * the delayed set, due only after the claim is surely decided. The winner then moves it onto the queue; the
     * loser withdraws it before any worker can start it, revokes its record and answers with the winner's id. A
     * caller that dies before ending the hold leaves a task that still runs, once the hold is over.
     */
    private Uni<String> enqueueInOrder(Enqueue e) {
        if (e.claim() == null) {
            return queueAndRecord(e).replaceWith(e.message().id());
        }
        Request lookup = Request.cmd(Command.GET).arg(e.claim().key());
        return guard(redis.results().send(lookup), resultFailures).chain(earlier -> {
            if (earlier != null) {
                return Uni.createFrom().item(e.claim().taskIdIfSame(earlier.toString()));
            }
            Enqueue held = e.heldUntil(System.currentTimeMillis() + holdMs());
            return queueAndRecord(held).chain(() -> claimAfterQueueing(held));
        });
    }

    /** Longer than the three calls between queueing a held task and deciding its claim may take. */
    private long holdMs() {
        return settings.redisTimeout().multipliedBy(4).toMillis();
    }

    private Uni<Response> queueAndRecord(Enqueue e) {
        TaskMessage m = e.message();
        long delayedUntil = Math.max(e.notBefore(), e.holdUntil());
        Request push = delayedUntil > 0
                ? Request.cmd(Command.ZADD).arg(RedisKeys.delayed(m.queue())).arg(delayedUntil)
                        .arg(Buffer.buffer(e.encoded()))
                : Request.cmd(Command.LPUSH).arg(RedisKeys.pending(m.queue())).arg(Buffer.buffer(e.encoded()));
        return guard(redis.broker().send(push), brokerFailures).chain(() -> recordIfAbsent(m, e.notBefore()));
    }

    /** The second step of an ordered enqueue, once the message is queued: PENDING, unless a worker wrote the record. */
    private Uni<Response> recordIfAbsent(TaskMessage m, long notBefore) {
        return guard(ClientScripts.RECORD_IF_ABSENT.run(redis.results(),
                List.of(RedisKeys.task(m.id()), RedisKeys.recent(m.queue())),
                List.of(m.job(), m.queue(), m.tenant(), m.created(), notBefore, m.id(), settings.recentTasksMax())),
                resultFailures)
                .onFailure().invoke(failure -> TaskLog.of("unrecorded", m)
                        .detail("queued, but its PENDING record could not be written; the worker will write it when it "
                                + "takes the task")
                        .warn(LOG));
    }

    private Uni<String> claimAfterQueueing(Enqueue e) {
        String id = e.message().id();
        return guard(ClientScripts.CLAIM_KEY.run(redis.results(), List.of(e.claim().key()),
                List.of(e.claimValue(), settings.idempotencyWindow().toMillis())), resultFailures)
                .chain(reply -> {
                    String earlier = reply.toString();
                    if (earlier.isEmpty()) {
                        return endHold(e, "promote")
                                .onFailure().recoverWithItem(failure -> {
                                    TaskLog.of("held", e.message()).field("held_until",
                                            Instant.ofEpochMilli(e.holdUntil())).detail(failure.getMessage()).warn(LOG);
                                    return null;
                                })
                                .replaceWith(id);
                    }
                    return endHold(e, "withdraw").chain(() -> revoke(id, null))
                            .map(revoked -> e.claim().taskIdIfSame(earlier));
                });
    }

    private Uni<Response> endHold(Enqueue e, String how) {
        TaskMessage m = e.message();
        return guard(ClientScripts.END_HOLD.run(redis.broker(),
                List.of(RedisKeys.delayed(m.queue()), RedisKeys.pending(m.queue())),
                List.of(Buffer.buffer(e.encoded()), how, e.notBefore())), brokerFailures);
    }

    private Claim idempotency(EnqueueOptions options, String job, ObjectNode payload) {
        if (options.idempotencyKey() == null) {
            return null;
        }
        try {
            String payloadHash = sha256(job + "\n" + canonicalWriter.writeValueAsString(payload)).substring(0, 32);
            return new Claim(RedisKeys.idempotency(options.tenant(), sha256(options.idempotencyKey())), payloadHash);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Payload cannot be written as JSON", e);
        }
    }

    private TaskStatus status(String taskId, Response fields) {
        return TaskRecords.toStatus(taskId, fields, mapper);
    }

    private static List<String> taskKeys(String taskId) {
        return List.of(RedisKeys.task(taskId), RedisKeys.gone(taskId));
    }

    private static List<String> tenantArgs(String tenant) {
        return tenant == null ? List.of("0", "") : List.of("1", tenant);
    }

    private long goneTtlMs() {
        return settings.resultTtl().plus(settings.expiredMarkerTtl()).toMillis();
    }

    private static void logCancel(CancelOutcome outcome) {
        switch (outcome) {
            case CancelOutcome.Revoked r -> log("REVOKED", r.status()).field("reason", "cancelled").info(LOG);
            case CancelOutcome.Requested r -> log("cancel-requested", r.status()).attempt(r.status().attempts())
                    .info(LOG);
            default -> {
                // Nothing changed: not a state change, not logged.
            }
        }
    }

    private static TaskLog log(String event, TaskStatus status) {
        return TaskLog.of(event, status.taskId(), status.job(), status.queue());
    }

    /** Bounds a Redis call by the configured timeout and turns outages into {@code BackendUnavailableException}. */
    private <T> Uni<T> guard(Uni<T> call, RedisFailures failures) {
        return call.ifNoItem().after(settings.redisTimeout())
                .failWith(() -> new TimeoutException("no answer within " + settings.redisTimeout()))
                .onItem().invoke(failures::succeeded)
                .onFailure().transform(failures::classify);
    }

    private byte[] encode(TaskMessage message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Payload cannot be written as JSON", e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
