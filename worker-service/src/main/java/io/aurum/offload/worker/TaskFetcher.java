package io.aurum.offload.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.LuaScript;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisFailures;
import io.aurum.offload.redis.RedisKeys;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Takes tasks from the queues into this worker's active lists with a reliable move (the message stays in Redis
 * until it is acknowledged), and gives them back on shutdown.
 */
@ApplicationScoped
class TaskFetcher {

    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final WorkerIdentity identity;
    private final Duration pollTimeout;
    private final Duration callTimeout;
    private final List<String> queues;
    private final List<String> queueKeys;
    private final AtomicInteger rotation = new AtomicInteger();
    private final RedisFailures failures = new RedisFailures("Redis broker");
    /**
     * Deliveries processors have in hand, by queue and bytes, with how many copies of those bytes they hold; anything
     * else in an active list is an orphan.
     */
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();
    /** Orphans seen by the previous reclaim round; reclaimed if still orphaned at the next one. */
    private Set<String> suspects = Set.of();

    @Inject
    TaskFetcher(RedisConnections redis, WorkerIdentity identity, OffloadSettings settings, ObjectMapper mapper) {
        this.redis = redis;
        this.mapper = mapper;
        this.identity = identity;
        this.pollTimeout = settings.worker().pollTimeout();
        this.callTimeout = settings.worker().pollTimeout().plus(settings.redisTimeout());
        this.queues = consumedQueues(settings);
        List<String> keys = new ArrayList<>();
        for (String queue : queues) {
            keys.add(RedisKeys.pending(queue));
            keys.add(RedisKeys.active(queue, identity.id()));
        }
        this.queueKeys = List.copyOf(keys);
    }

    /** The queues this worker takes from, in priority order. */
    static List<String> consumedQueues(OffloadSettings settings) {
        return settings.worker().queues().filter(q -> !q.isEmpty()).orElse(List.of(settings.defaultQueue()));
    }

    List<String> queues() {
        return queues;
    }

    /**
     * Takes the next task, or returns null when none came within the poll timeout. The wait is short on purpose:
     * it is how often a processor notices that shutdown began.
     *
     * <p>With several queues, each is tried in priority order without blocking; when all are empty the processor
     * blocks on one of them, taking turns. Known limitation: while a worker is idle, a task put on a queue other
     * than the one being blocked on waits up to one poll timeout per consumed queue before it is taken.
     */
    Taken take() {
        if (queues.size() > 1) {
            for (String queue : queues) {
                Response taken = send(move(Command.LMOVE, queue));
                if (taken != null) {
                    return hold(new Taken(new Delivery(queue, taken.toBuffer()), null));
                }
            }
        }
        String queue = queues.get(Math.floorMod(rotation.getAndIncrement(), queues.size()));
        Request blocking = move(Command.BLMOVE, queue).arg(Double.toString(pollTimeout.toMillis() / 1000.0));
        Response taken = send(blocking);
        return taken == null ? null : hold(new Taken(new Delivery(queue, taken.toBuffer()), null));
    }

    /** The pending and active list of each consumed queue, in priority order, for scripts that take a task. */
    List<String> queueKeys() {
        return queueKeys;
    }

    /**
     * A message that a script moved into this worker's active list from the queue at {@code queueIndex} of
     * {@link #queueKeys()}, with its start when the script recorded it.
     */
    Taken adopt(int queueIndex, Buffer raw, TaskRecorder.Start start) {
        return hold(new Taken(new Delivery(queues.get(queueIndex), raw), start));
    }

    /** The processor is done with {@code delivery}: settled, acknowledged or dead-lettered. */
    void release(Delivery delivery) {
        held.computeIfPresent(heldKey(delivery.queue(), delivery.raw().toString()),
                (key, copies) -> copies == 1 ? null : copies - 1);
    }

    /**
     * Puts back messages that sit in this worker's active lists with no processor holding them, as when a blocking
     * take was given up on the client side (Redis paused past the call timeout) but Redis still made the move
     * later. The recovery sweep cannot see these: this worker is alive. A message is put back only when it was an
     * orphan at two rounds in a row, so one just taken and not yet marked as held is never mistaken for one.
     *
     * @return how many went back
     */
    synchronized long reclaimOrphans() {
        Set<String> orphans = new HashSet<>();
        long reclaimed = 0;
        for (String queue : queues) {
            Request list = Request.cmd(Command.LRANGE).arg(RedisKeys.active(queue, identity.id())).arg(0).arg(-1);
            Response active = redis.broker().send(list).ifNoItem().after(callTimeout).fail().await().indefinitely();
            for (Response message : active) {
                String key = heldKey(queue, message.toString());
                if (held.containsKey(key)) {
                    continue;
                }
                if (suspects.contains(key)) {
                    long back = WorkerScripts.RECLAIM.run(redis.broker(), List.of(RedisKeys.active(queue,
                                    identity.id()), RedisKeys.pending(queue)), List.of(message.toBuffer()))
                            .ifNoItem().after(callTimeout).fail().await().indefinitely().toLong();
                    if (back == 1) {
                        Requeued.log(mapper, queue, message.toBuffer(), Requeued.ORPHANED);
                    }
                    reclaimed += back;
                } else {
                    orphans.add(key);
                }
            }
        }
        suspects = orphans;
        return reclaimed;
    }

    private Taken hold(Taken taken) {
        held.merge(heldKey(taken.delivery().queue(), taken.delivery().raw().toString()), 1, Integer::sum);
        return taken;
    }

    private static String heldKey(String queue, String raw) {
        return queue + '\n' + raw;
    }

    /**
     * Puts back every task still in this worker's active lists and leaves the worker registry. One try per queue:
     * at shutdown there is no time to wait for Redis, and whatever is left is recovered by another worker's sweep
     * once this one's heartbeat runs out.
     */
    long requeueOwn() {
        long moved = 0;
        for (String queue : queues) {
            Response back = WorkerScripts.REQUEUE_OWN.run(redis.broker(),
                            List.of(RedisKeys.active(queue, identity.id()), RedisKeys.pending(queue),
                                    RedisKeys.workers(queue)),
                            List.of(identity.id()))
                    .ifNoItem().after(callTimeout).fail()
                    .await().indefinitely();
            back.forEach(message -> Requeued.log(mapper, queue, message.toBuffer(), Requeued.SHUTDOWN));
            moved += back.size();
        }
        return moved;
    }

    private Request move(Command command, String queue) {
        return Request.cmd(command).arg(RedisKeys.pending(queue)).arg(RedisKeys.active(queue, identity.id()))
                .arg("RIGHT").arg("LEFT");
    }

    private Response send(Request request) {
        return WorkerRedis.awaitPersistently(redis.broker().send(request), callTimeout, failures);
    }

    private Response send(LuaScript script, List<String> keys, List<?> args) {
        return WorkerRedis.awaitPersistently(script.run(redis.broker(), keys, args), callTimeout, failures);
    }
}
