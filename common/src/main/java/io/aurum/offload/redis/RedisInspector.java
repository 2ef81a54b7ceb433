package io.aurum.offload.redis;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.admin.HeldTask;
import io.aurum.offload.admin.LiveWorker;
import io.aurum.offload.admin.PurgeOutcome;
import io.aurum.offload.admin.QueueDepth;
import io.aurum.offload.admin.RecentTask;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.metrics.TaskMetrics;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskLog;
import io.aurum.offload.task.TaskMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What operators (and gauges) read of the Redis backend: the queues and how much each holds, the workers and the
 * tasks they hold, the latest tasks of each queue; and the one write that goes with it, purging a queue. Reads
 * only what the api and the worker keep anyway (see {@link RedisKeys}), in pipelined batches, never {@code KEYS}
 * or {@code SCAN}: queues are those configured plus those a worker's heartbeat registered in the last day.
 */
@ApplicationScoped
public class RedisInspector {

    /** Tasks shown per worker and queue; a worker holds at most its concurrency, so this only bounds odd cases. */
    public static final int MOST_HELD_SHOWN = 100;

    /** A queue no worker has beaten on for this long is no longer listed, unless it is configured. */
    static final Duration QUEUE_MEMORY = Duration.ofDays(1);

    /** Messages purged per round: one LRANGE, one revoke script, one removal script. */
    static final int PURGE_CHUNK = 500;

    private static final Logger LOG = Logger.getLogger(RedisInspector.class);

    private static final String[] RECENT_FIELDS = {"job", "queue", "tenant", "state", "created", "started",
        "finished", "attempts", "error_type", "error_message"};

    /**
     * Revokes the tasks of purged messages. A task not finished becomes REVOKED (its record written from the message
     * if the api's write has not landed), as a cancel does; one that is STARTED only gets the cancel flag, as a
     * worker may have taken its message a moment ago, unless the mode is "force": the caller removed its message
     * from the queue, so no worker holds it. Returns per task 1 revoked, 2 cancel flagged, 0 left (finished).
     * KEYS: task, gone per task. ARGV: mode, now (ms), result ttl (ms), gone ttl (ms), done channel, then per task:
     * id, job, queue, tenant, created.
     */
    private static final LuaScript REVOKE_PURGED = new LuaScript("revoke-purged", """
            local reply = {}
            for i = 1, #KEYS / 2 do
              local task, gone, from = KEYS[2 * i - 1], KEYS[2 * i], 6 + 5 * (i - 1)
              local state = redis.call('HGET', task, 'state')
              if state == 'SUCCESS' or state == 'FAILURE' or state == 'REVOKED' then
                reply[i] = 0
              elseif state == 'STARTED' and ARGV[1] ~= 'force' then
                redis.call('HSET', task, 'cancel', '1')
                reply[i] = 2
              else
                if not state then
                  redis.call('HSET', task, 'job', ARGV[from + 1], 'queue', ARGV[from + 2], 'tenant', ARGV[from + 3],
                      'created', ARGV[from + 4], 'attempts', 0, 'failures', 0)
                end
                redis.call('HSET', task, 'state', 'REVOKED', 'finished', ARGV[2], 'cancel', '1')
                redis.call('HDEL', task, 'retry_at')
                redis.call('PEXPIRE', task, ARGV[3])
                redis.call('SET', gone, redis.call('HGET', task, 'tenant') or '', 'PX', ARGV[4])
                if redis.call('HGET', task, 'watch') == '1' then
                  redis.call('PUBLISH', ARGV[5], ARGV[from] .. ' ' .. cjson.encode(redis.call('HGETALL', task)))
                end
                reply[i] = 1
              end
            end
            return reply
            """);

    /**
     * Takes purged messages off the pending list, searching from the taking end where they were read. Returns per
     * message 1 when removed, 0 when a worker took it meanwhile. KEYS: pending. ARGV: the messages.
     */
    private static final LuaScript REMOVE_PURGED = new LuaScript("remove-purged", """
            local reply = {}
            for i = 1, #ARGV do
              reply[i] = redis.call('LREM', KEYS[1], -1, ARGV[i])
            end
            return reply
            """);

    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final OffloadSettings settings;
    private final TaskMetrics metrics;
    private final RedisFailures failures = new RedisFailures("Redis (admin)");

    @Inject
    public RedisInspector(RedisConnections redis, ObjectMapper mapper, OffloadSettings settings, TaskMetrics metrics) {
        this.redis = redis;
        this.mapper = mapper;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Every queue the settings name (default, worker, schedules) and every queue a worker beat on lately, sorted. */
    public Uni<List<String>> queues() {
        long since = System.currentTimeMillis() - QUEUE_MEMORY.toMillis();
        Request registered = Request.cmd(Command.ZRANGEBYSCORE).arg(RedisKeys.queues()).arg(since).arg("+inf");
        return guard(redis.broker().send(registered)).map(reply -> {
            TreeSet<String> queues = new TreeSet<>(configuredQueues(settings));
            if (reply != null) {
                reply.forEach(queue -> queues.add(queue.toString()));
            }
            return List.copyOf(queues);
        });
    }

    /** The queues named by the settings both services read. */
    public static List<String> configuredQueues(OffloadSettings settings) {
        TreeSet<String> queues = new TreeSet<>();
        queues.add(settings.defaultQueue());
        settings.worker().queues().ifPresent(named -> named.stream().filter(q -> !q.isEmpty()).forEach(queues::add));
        settings.schedules().values().forEach(schedule -> schedule.queue().ifPresent(queues::add));
        return List.copyOf(queues);
    }

    /** The depth of every queue {@link #queues()} lists. */
    public Uni<List<QueueDepth>> depths() {
        return queues().chain(queues -> queues.isEmpty() ? Uni.createFrom().item(List.<QueueDepth>of())
                : Uni.join().all(queues.stream().map(this::depth).toList()).andFailFast());
    }

    /** How much {@code queue} holds: two pipelined reads of the broker. */
    public Uni<QueueDepth> depth(String queue) {
        List<Request> counts = List.of(Request.cmd(Command.TIME),
                Request.cmd(Command.LLEN).arg(RedisKeys.pending(queue)),
                Request.cmd(Command.ZCARD).arg(RedisKeys.delayed(queue)),
                Request.cmd(Command.ZCARD).arg(RedisKeys.dead(queue)),
                Request.cmd(Command.ZRANGE).arg(RedisKeys.workers(queue)).arg(0).arg(-1).arg("WITHSCORES"));
        return guard(redis.broker().batch(counts)).chain(replies -> {
            long now = redisMillis(replies.get(0));
            Map<String, Double> leases = scored(replies.get(4));
            long alive = leases.values().stream().filter(lease -> lease > now).count();
            return activeCount(queue, leases.keySet()).map(active -> new QueueDepth(queue,
                    replies.get(1).toLong(), replies.get(2).toLong(), active, alive, replies.get(3).toLong()));
        });
    }

    /**
     * Every worker registered on a listed queue, alive ones first, with the tasks it holds and their states: one
     * batch for the registries, one for the active lists, one for the records.
     */
    public Uni<List<LiveWorker>> workers() {
        return queues().chain(queues -> {
            if (queues.isEmpty()) {
                return Uni.createFrom().item(List.<LiveWorker>of());
            }
            List<Request> registries = new ArrayList<>(List.of(Request.cmd(Command.TIME)));
            queues.forEach(queue -> registries.add(
                    Request.cmd(Command.ZRANGE).arg(RedisKeys.workers(queue)).arg(0).arg(-1).arg("WITHSCORES")));
            return guard(redis.broker().batch(registries)).chain(replies -> {
                long now = redisMillis(replies.get(0));
                List<Lease> leases = new ArrayList<>();
                for (int i = 0; i < queues.size(); i++) {
                    String queue = queues.get(i);
                    scored(replies.get(i + 1)).forEach((worker, until) -> leases.add(
                            new Lease(worker, queue, until.longValue())));
                }
                return heldTasks(leases).map(held -> describeWorkers(leases, held, now));
            });
        });
    }

    /**
     * The newest tasks enqueued on {@code queue} (or on every listed queue when null), newest first, at most
     * {@code limit}, as their records stand; tasks whose record expired are left out.
     */
    public Uni<List<RecentTask>> recentTasks(String queue, int limit) {
        Uni<List<String>> queues = queue == null ? queues() : Uni.createFrom().item(List.of(queue));
        return queues.chain(names -> {
            if (names.isEmpty() || limit <= 0) {
                return Uni.createFrom().item(List.<RecentTask>of());
            }
            List<Request> newest = names.stream().map(name -> Request.cmd(Command.ZREVRANGE)
                    .arg(RedisKeys.recent(name)).arg(0).arg(limit - 1).arg("WITHSCORES")).toList();
            return guard(redis.results().batch(newest)).chain(replies -> {
                List<Map.Entry<String, Double>> ids = new ArrayList<>();
                replies.forEach(reply -> ids.addAll(scored(reply).entrySet()));
                ids.sort(Map.Entry.<String, Double>comparingByValue().reversed());
                return readRecent(ids.stream().limit(limit).map(Map.Entry::getKey).toList());
            });
        });
    }

    /**
     * Purges the messages pending on {@code queue} when the purge begins (later arrivals stay), oldest first, in
     * rounds of {@link #PURGE_CHUNK}. Each task is revoked before its message leaves the queue, so a purge cut short
     * leaves no task PENDING without a message: what stays queued is REVOKED, and a worker that takes it drops it.
     * A task some worker started meanwhile gets the cancel flag, and its worker stops it. Delayed messages (retries,
     * {@code not_before}) and held ones are left alone.
     */
    public Uni<PurgeOutcome> purge(String queue) {
        Request length = Request.cmd(Command.LLEN).arg(RedisKeys.pending(queue));
        return guard(redis.broker().send(length))
                .chain(total -> purgeRound(queue, total.toLong(), new PurgeOutcome(queue, 0, 0)))
                .invoke(outcome -> LOG.infof("Queue %s purged by an operator: %d messages removed, %d tasks revoked",
                        queue, outcome.purged(), outcome.revoked()));
    }

    /** One round: read the oldest messages, revoke their tasks, remove them, then go on with what is left. */
    private Uni<PurgeOutcome> purgeRound(String queue, long left, PurgeOutcome sofar) {
        if (left <= 0) {
            return Uni.createFrom().item(sofar);
        }
        long take = Math.min(PURGE_CHUNK, left);
        Request oldest = Request.cmd(Command.LRANGE).arg(RedisKeys.pending(queue)).arg(-take).arg(-1);
        return guard(redis.broker().send(oldest)).chain(reply -> {
            List<Buffer> raws = new ArrayList<>();
            reply.forEach(message -> raws.add(message.toBuffer()));
            if (raws.isEmpty()) {
                return Uni.createFrom().item(sofar);
            }
            return purgeMessages(queue, raws).chain(done -> purgeRound(queue, left - raws.size(),
                    new PurgeOutcome(queue, sofar.purged() + done.purged(), sofar.revoked() + done.revoked())));
        });
    }

    /**
     * Revokes the tasks of {@code raws}, removes them from the queue, and then revokes for good the tasks that were
     * STARTED but whose message this purge removed: a message on the pending list is held by no worker, so such a
     * record is left over from an attempt whose worker died or stopped.
     */
    private Uni<PurgeOutcome> purgeMessages(String queue, List<Buffer> raws) {
        List<TaskMessage> messages = raws.stream().map(this::readMessage).toList();
        return revoke(messages, "purge").chain(codes -> remove(queue, raws).chain(removed -> {
            List<TaskMessage> leftStarted = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                leftStarted.add(codes.get(i) == 2 && removed.get(i) == 1 ? messages.get(i) : null);
            }
            long revoked = codes.stream().filter(code -> code == 1).count();
            long purged = removed.stream().mapToLong(Integer::longValue).sum();
            return revoke(leftStarted, "force").map(forced -> new PurgeOutcome(queue, purged,
                    revoked + forced.stream().filter(code -> code == 1).count()));
        }));
    }

    /** Runs {@link #REVOKE_PURGED} on the readable messages; the code of each (0 for unreadable or null ones). */
    private Uni<List<Integer>> revoke(List<TaskMessage> messages, String mode) {
        List<String> keys = new ArrayList<>();
        List<Object> args = new ArrayList<>(List.of(mode, System.currentTimeMillis(), settings.resultTtl().toMillis(),
                settings.resultTtl().plus(settings.expiredMarkerTtl()).toMillis(), RedisKeys.taskDoneChannel()));
        for (TaskMessage m : messages) {
            if (m != null) {
                keys.add(RedisKeys.task(m.id()));
                keys.add(RedisKeys.gone(m.id()));
                args.addAll(List.of(m.id(), m.job(), m.queue(), m.tenant(), m.created()));
            }
        }
        if (keys.isEmpty()) {
            return Uni.createFrom().item(messages.stream().map(m -> 0).toList());
        }
        return guard(REVOKE_PURGED.run(redis.results(), keys, args)).map(reply -> {
            List<Integer> codes = new ArrayList<>();
            int next = 0;
            for (TaskMessage m : messages) {
                int code = m == null ? 0 : reply.get(next++).toInteger();
                if (code == 1) {
                    metrics.revoked(m.job(), m.queue());
                    TaskLog.of("REVOKED", m).field("reason", "purged").info(LOG);
                }
                codes.add(code);
            }
            return codes;
        });
    }

    private Uni<List<Integer>> remove(String queue, List<Buffer> raws) {
        return guard(REMOVE_PURGED.run(redis.broker(), List.of(RedisKeys.pending(queue)), raws)).map(reply -> {
            List<Integer> removed = new ArrayList<>();
            reply.forEach(one -> removed.add(one.toInteger()));
            return removed;
        });
    }

    private TaskMessage readMessage(Buffer raw) {
        try {
            TaskMessage message = mapper.readValue(raw.getBytes(), TaskMessage.class);
            return message.id() == null || message.job() == null ? null : message;
        } catch (IOException e) {
            // Unreadable bytes are purged all the same; there is no record to revoke.
            return null;
        }
    }

    /** One worker's lease on one queue, ending at {@code until} (ms, Redis's clock). */
    private record Lease(String worker, String queue, long until) {
    }

    private Uni<Long> activeCount(String queue, Iterable<String> workers) {
        List<Request> lengths = new ArrayList<>();
        workers.forEach(worker -> lengths.add(Request.cmd(Command.LLEN).arg(RedisKeys.active(queue, worker))));
        if (lengths.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        return guard(redis.broker().batch(lengths)).map(replies -> replies.stream().mapToLong(Response::toLong).sum());
    }

    /** The tasks in each lease's active list, in the order of {@code leases}, with their records' states. */
    private Uni<List<List<HeldTask>>> heldTasks(List<Lease> leases) {
        if (leases.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Request> lists = leases.stream().map(lease -> Request.cmd(Command.LRANGE)
                .arg(RedisKeys.active(lease.queue(), lease.worker())).arg(0).arg(MOST_HELD_SHOWN - 1)).toList();
        return guard(redis.broker().batch(lists)).chain(replies -> {
            List<List<TaskMessage>> held = new ArrayList<>();
            List<Request> records = new ArrayList<>();
            for (Response list : replies) {
                List<TaskMessage> messages = new ArrayList<>();
                list.forEach(raw -> {
                    TaskMessage message = readMessage(raw.toBuffer());
                    if (message != null) {
                        messages.add(message);
                        records.add(Request.cmd(Command.HMGET).arg(RedisKeys.task(message.id()))
                                .arg("state").arg("started").arg("attempts"));
                    }
                });
                held.add(messages);
            }
            if (records.isEmpty()) {
                return Uni.createFrom().item(held.stream().map(none -> List.<HeldTask>of()).toList());
            }
            return guard(redis.results().batch(records)).map(states -> withStates(held, states));
        });
    }

    private static List<List<HeldTask>> withStates(List<List<TaskMessage>> held, List<Response> states) {
        List<List<HeldTask>> tasks = new ArrayList<>();
        int next = 0;
        for (List<TaskMessage> messages : held) {
            List<HeldTask> one = new ArrayList<>();
            for (TaskMessage m : messages) {
                Response fields = states.get(next++);
                one.add(new HeldTask(m.id(), m.job(), m.queue(), m.tenant(), text(fields.get(0)),
                        instant(text(fields.get(1))), number(text(fields.get(2)))));
            }
            tasks.add(one);
        }
        return tasks;
    }

    private static List<LiveWorker> describeWorkers(List<Lease> leases, List<List<HeldTask>> held, long now) {
        Map<String, List<Integer>> byWorker = new LinkedHashMap<>();
        for (int i = 0; i < leases.size(); i++) {
            byWorker.computeIfAbsent(leases.get(i).worker(), w -> new ArrayList<>()).add(i);
        }
        List<LiveWorker> workers = new ArrayList<>();
        byWorker.forEach((worker, indexes) -> {
            long until = indexes.stream().mapToLong(i -> leases.get(i).until()).max().orElse(0);
            List<String> queues = indexes.stream().map(i -> leases.get(i).queue()).toList();
            List<HeldTask> tasks = indexes.stream().flatMap(i -> held.get(i).stream()).toList();
            workers.add(new LiveWorker(worker, until > now, Instant.ofEpochMilli(until), queues, tasks));
        });
        workers.sort(Comparator.comparing(LiveWorker::alive).reversed().thenComparing(LiveWorker::worker));
        return workers;
    }

    private Uni<List<RecentTask>> readRecent(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Request> records = ids.stream().map(id -> {
            Request read = Request.cmd(Command.HMGET).arg(RedisKeys.task(id));
            for (String field : RECENT_FIELDS) {
                read.arg(field);
            }
            return read;
        }).toList();
        return guard(redis.results().batch(records)).map(replies -> {
            List<RecentTask> tasks = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                RecentTask task = recentTask(ids.get(i), replies.get(i));
                if (task != null) {
                    tasks.add(task);
                }
            }
            return tasks;
        });
    }

    /** The record read with {@link #RECENT_FIELDS}, or null when it expired. */
    private static RecentTask recentTask(String id, Response f) {
        String state = text(f.get(3));
        if (state == null) {
            return null;
        }
        String errorType = text(f.get(8));
        boolean showsError = errorType != null && ("FAILURE".equals(state) || "RETRY".equals(state));
        return new RecentTask(id, text(f.get(0)), text(f.get(1)), text(f.get(2)), state, instant(text(f.get(4))),
                instant(text(f.get(5))), instant(text(f.get(6))), number(text(f.get(7))),
                showsError ? new TaskError(errorType, text(f.get(9))) : null);
    }

    /**
     * The members and scores of a {@code WITHSCORES} reply, in order: RESP2 sends them flat, RESP3 as pairs.
     */
    private static Map<String, Double> scored(Response reply) {
        Map<String, Double> scores = new LinkedHashMap<>();
        if (reply == null || reply.size() == 0) {
            return scores;
        }
        if (reply.get(0).type() == ResponseType.MULTI) {
            reply.forEach(pair -> scores.put(pair.get(0).toString(), pair.get(1).toDouble()));
        } else {
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                scores.put(reply.get(i).toString(), reply.get(i + 1).toDouble());
            }
        }
        return scores;
    }

    private static long redisMillis(Response time) {
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    private static String text(Response value) {
        return value == null ? null : value.toString();
    }

    private static long number(String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static Instant instant(String epochMillis) {
        return epochMillis == null || epochMillis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(epochMillis));
    }

    private <T> Uni<T> guard(Uni<T> call) {
        return call.ifNoItem().after(settings.redisTimeout())
                .failWith(() -> new TimeoutException("no answer within " + settings.redisTimeout()))
                .onItem().invoke(failures::succeeded)
                .onFailure().transform(failures::classify);
    }
}
