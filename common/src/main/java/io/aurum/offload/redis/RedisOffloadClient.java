package io.aurum.offload.redis;

import java.util.List;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.client.UnknownJobException;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;
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
 * both are one database a single script does both steps in one round trip.
 */
@ApplicationScoped
@Typed(RedisOffloadClient.class)
public class RedisOffloadClient implements OffloadClient {

    private static final Logger LOG = Logger.getLogger(RedisOffloadClient.class);

    private final RedisConnections redis;
    private final JobRegistry registry;
    private final TaskIds ids;
    private final ObjectMapper mapper;
    private final OffloadSettings settings;
    private final RedisFailures brokerFailures = new RedisFailures("Redis broker");
    private final RedisFailures resultFailures = new RedisFailures("Redis result backend");

    @Inject
    public RedisOffloadClient(RedisConnections redis, JobRegistry registry, TaskIds ids, ObjectMapper mapper,
            OffloadSettings settings) {
        this.redis = redis;
        this.registry = registry;
        this.ids = ids;
        this.mapper = mapper;
        this.settings = settings;
    }

    @Override
    public Uni<String> runJobAsync(String job, ObjectNode payload, EnqueueOptions options) {
        if (!registry.contains(job)) {
            return Uni.createFrom().failure(new UnknownJobException(job));
        }
        String queue = options.queue() == null ? settings.defaultQueue() : options.queue();
        TaskMessage message = new TaskMessage(ids.next(), job, queue, options.tenant(), System.currentTimeMillis(),
                payload);
        byte[] encoded = encode(message);
        Uni<?> stored = redis.sameDatabase() ? enqueueAtomically(message, encoded) : enqueueInOrder(message, encoded);
        return stored.replaceWith(message.id())
                .invoke(id -> LOG.infof("task PENDING id=%s job=%s queue=%s", id, job, queue));
    }

    @Override
    public Uni<TaskLookup> fetchJobResult(String taskId, String tenant) {
        if (!TaskIds.isWellFormed(taskId)) {
            return Uni.createFrom().item(new TaskLookup.Unknown(taskId));
        }
        List<String> args = tenant == null ? List.of("0", "") : List.of("1", tenant);
        return guard(ClientScripts.STATUS.run(redis.results(), List.of(RedisKeys.task(taskId), RedisKeys.gone(taskId)),
                args), resultFailures)
                .map(reply -> switch (reply.get(0).toInteger()) {
                    case 1 -> new TaskLookup.Found(TaskRecords.toStatus(taskId, reply.get(1), mapper));
                    case 2 -> new TaskLookup.Expired(taskId);
                    default -> new TaskLookup.Unknown(taskId);
                });
    }

    @Override
    public String backendName() {
        return "redis";
    }

    private Uni<Response> enqueueAtomically(TaskMessage message, byte[] encoded) {
        return guard(ClientScripts.ENQUEUE.run(redis.broker(),
                List.of(RedisKeys.task(message.id()), RedisKeys.pending(message.queue())),
                List.of(message.job(), message.queue(), message.tenant(), message.created(), encoded)), brokerFailures);
    }

    private Uni<Response> enqueueInOrder(TaskMessage message, byte[] encoded) {
        Request push = Request.cmd(Command.LPUSH).arg(RedisKeys.pending(message.queue()))
                .arg(io.vertx.mutiny.core.buffer.Buffer.buffer(encoded));
        return guard(redis.broker().send(push), brokerFailures)
                .chain(() -> guard(ClientScripts.RECORD_IF_ABSENT.run(redis.results(),
                        List.of(RedisKeys.task(message.id())),
                        List.of(message.job(), message.queue(), message.tenant(), message.created())), resultFailures)
                        .onFailure().invoke(e -> LOG.warnf(
                                "task id=%s job=%s was queued but its PENDING record could not be written; "
                                        + "the worker will write it when it takes the task", message.id(),
                                message.job())));
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
}
