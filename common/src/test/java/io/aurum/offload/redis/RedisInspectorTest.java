package io.aurum.offload.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.aurum.offload.admin.HeldTask;
import io.aurum.offload.admin.LiveWorker;
import io.aurum.offload.admin.PurgeOutcome;
import io.aurum.offload.admin.QueueDepth;
import io.aurum.offload.admin.RecentTask;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.metrics.TaskMetrics;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.PrivateRedis;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.TestJobs;

/**
 * The admin reads and the purge against a private redis-server, on what the api's enqueue scripts and the worker's
 * scripts leave there (the worker's keys are written here the way its scripts write them). Broker in database 0,
 * results in database 1, unless a test says otherwise.
 */
class RedisInspectorTest {

    @RegisterExtension
    static final PrivateRedis REDIS = new PrivateRedis();

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String QUEUE = "default";

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
    private final List<RedisOffloadClient> clients = new ArrayList<>();

    @AfterEach
    void stopSubscribers() {
        clients.forEach(client -> client.taskDone().stop());
    }

    @Test
    void countsPendingDelayedActiveWorkersAndDeadLettersOfAQueue() throws Exception {
        Setup s = separate();
        s.enqueue("acme");
        s.enqueue("acme");
        redis(0, "ZADD", RedisKeys.delayed(QUEUE), "99999999999999", "{\"id\":\"later\"}");
        redis(0, "ZADD", RedisKeys.dead(QUEUE), "1000", "dead-one");
        holdAsWorker("worker-a", leaseFromNow(30_000), message("AAAAAAAAAAAAAAAAAAAAAAAA", "sleep"));
        holdAsWorker("worker-gone", leaseFromNow(-60_000), message("BBBBBBBBBBBBBBBBBBBBBBBB", "sleep"));

        QueueDepth depth = s.inspector.depth(QUEUE).await().atMost(WAIT);

        assertThat(depth).isEqualTo(new QueueDepth(QUEUE, 2, 1, 2, 1, 1));
    }

    @Test
    void listsTheConfiguredQueuesAndThoseAWorkerBeatOnLately() {
        Setup s = separate(Map.of("aurum.api.offload.worker.queues", "default,mail",
                "aurum.api.offload.schedules.nightly.job", "noop", "aurum.api.offload.schedules.nightly.every", "1h",
                "aurum.api.offload.schedules.nightly.queue", "maintenance"));
        long now = System.currentTimeMillis();
        redis(0, "ZADD", RedisKeys.queues(), Long.toString(now), "reports");
        redis(0, "ZADD", RedisKeys.queues(), Long.toString(now - Duration.ofDays(2).toMillis()), "retired");

        List<String> queues = s.inspector.queues().await().atMost(WAIT);

        assertThat(queues).containsExactly("default", "mail", "maintenance", "reports");
    }

    @Test
    void listsWorkersWithTheTasksTheyRunAndSinceWhen() throws Exception {
        Setup s = separate();
        String running = "CCCCCCCCCCCCCCCCCCCCCCCC";
        long started = 1_700_000_000_000L;
        holdAsWorker("worker-a", leaseFromNow(30_000), message(running, "sleep"));
        redis(1, "HSET", RedisKeys.task(running), "state", "STARTED", "started", Long.toString(started),
                "attempts", "2");
        redis(0, "ZADD", RedisKeys.workers(QUEUE), Long.toString(leaseFromNow(30_000)), "worker-idle");

        List<LiveWorker> workers = s.inspector.workers().await().atMost(WAIT);

        assertThat(workers).extracting(LiveWorker::worker).containsExactly("worker-a", "worker-idle");
        assertThat(workers.get(0).alive()).isTrue();
        assertThat(workers.get(0).queues()).containsExactly(QUEUE);
        assertThat(workers.get(0).tasks()).containsExactly(
                new HeldTask(running, "sleep", QUEUE, "acme", "STARTED", Instant.ofEpochMilli(started), 2));
        assertThat(workers.get(1).tasks()).isEmpty();
    }

    @Test
    void listsAWorkerWhoseLeaseRanOutAsNotAliveAfterTheLiveOnes() {
        Setup s = separate();
        redis(0, "ZADD", RedisKeys.workers(QUEUE), Long.toString(leaseFromNow(-5_000)), "a-dead-worker");
        redis(0, "ZADD", RedisKeys.workers(QUEUE), Long.toString(leaseFromNow(30_000)), "z-live-worker");

        List<LiveWorker> workers = s.inspector.workers().await().atMost(WAIT);

        assertThat(workers).extracting(LiveWorker::worker, LiveWorker::alive)
                .containsExactly(tuple("z-live-worker", true),
                        tuple("a-dead-worker", false));
    }

    @Test
    void listsRecentTasksNewestFirstAsTheirRecordsStand() throws Exception {
        Setup s = separate();
        String first = s.enqueue("acme");
        Thread.sleep(5);
        String second = s.enqueue("globex");
        redis(1, "HSET", RedisKeys.task(first), "state", "FAILURE", "error_type", "Boom", "error_message", "no");

        List<RecentTask> tasks = s.inspector.recentTasks(null, 10).await().atMost(WAIT);

        assertThat(tasks).extracting(RecentTask::taskId).containsExactly(second, first);
        assertThat(tasks.get(0).state()).isEqualTo("PENDING");
        assertThat(tasks.get(0).tenant()).isEqualTo("globex");
        assertThat(tasks.get(1).state()).isEqualTo("FAILURE");
        assertThat(tasks.get(1).error().type()).isEqualTo("Boom");
    }

    @Test
    void indexesRecentTasksWhenBrokerAndResultsAreOneDatabase() throws Exception {
        Setup s = new Setup(OffloadSettingsFixture.redis(REDIS.server(), 2, 2));
        String id = s.enqueue("acme");

        List<RecentTask> tasks = s.inspector.recentTasks(QUEUE, 10).await().atMost(WAIT);

        assertThat(tasks).extracting(RecentTask::taskId, RecentTask::state)
                .containsExactly(tuple(id, "PENDING"));
    }

    @Test
    void leavesOutRecentTasksWhoseRecordExpired() throws Exception {
        Setup s = separate();
        String kept = s.enqueue("acme");
        String expired = s.enqueue("acme");
        redis(1, "DEL", RedisKeys.task(expired));

        List<RecentTask> tasks = s.inspector.recentTasks(QUEUE, 10).await().atMost(WAIT);

        assertThat(tasks).extracting(RecentTask::taskId).containsExactly(kept);
    }

    @Test
    void keepsTheRecentIndexNearItsCap() throws Exception {
        Setup s = separate(Map.of("aurum.api.offload.recent-tasks-max", "16"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(s.enqueue("acme"));
        }

        long size = Long.parseLong(redis(1, "ZCARD", RedisKeys.recent(QUEUE)));
        List<RecentTask> tasks = s.inspector.recentTasks(QUEUE, 16).await().atMost(WAIT);

        assertThat(size).isBetween(16L, 17L);
        assertThat(tasks).hasSize(16);
        // The index is scored by creation time in milliseconds, so tasks created in the same millisecond tie and
        // either may be the one trimmed: what must hold is that no task left out is newer than one listed.
        long oldestListed = tasks.stream().mapToLong(t -> t.createdAt().toEpochMilli()).min().orElseThrow();
        List<String> listed = tasks.stream().map(RecentTask::taskId).toList();
        assertThat(ids).containsAll(listed);
        for (String id : ids) {
            if (!listed.contains(id)) {
                long created = Long.parseLong(redis(1, "HGET", RedisKeys.task(id), "created"));
                assertThat(created).as("created of %s, left out", id).isLessThanOrEqualTo(oldestListed);
            }
        }
        // Enqueued one after another, the newest 16 can only differ from the last 16 by ties at the boundary.
        assertThat(listed).containsAll(ids.subList(24, 40).stream()
                .filter(id -> Long.parseLong(redis(1, "HGET", RedisKeys.task(id), "created")) > oldestListed)
                .toList());
    }

    @Test
    void keepsNoRecentIndexWhenItsCapIsZero() throws Exception {
        Setup s = separate(Map.of("aurum.api.offload.recent-tasks-max", "0"));
        s.enqueue("acme");

        assertThat(redis(1, "EXISTS", RedisKeys.recent(QUEUE))).isEqualTo("0");
    }

    @Test
    void purgeEmptiesTheQueueAndRevokesItsTasks() throws Exception {
        Setup s = separate();
        String one = s.enqueue("acme");
        String two = s.enqueue("globex");

        PurgeOutcome outcome = s.inspector.purge(QUEUE).await().atMost(WAIT);

        assertThat(outcome).isEqualTo(new PurgeOutcome(QUEUE, 2, 2));
        assertThat(redis(0, "LLEN", RedisKeys.pending(QUEUE))).isEqualTo("0");
        assertThat(record(one)).containsEntry("state", "REVOKED").containsKey("finished");
        assertThat(record(two)).containsEntry("state", "REVOKED");
        assertThat(redis(1, "GET", RedisKeys.gone(two))).isEqualTo("globex");
        assertThat(Long.parseLong(redis(1, "PTTL", RedisKeys.task(one)))).isPositive();
    }

    @Test
    void purgeTakesMoreThanOneRoundOfMessages() throws Exception {
        Setup s = new Setup(OffloadSettingsFixture.redis(REDIS.server(), 2, 2));
        int count = RedisInspector.PURGE_CHUNK + 7;
        for (int i = 0; i < count; i++) {
            s.enqueue("acme");
        }

        PurgeOutcome outcome = s.inspector.purge(QUEUE).await().atMost(WAIT);

        assertThat(outcome).isEqualTo(new PurgeOutcome(QUEUE, count, count));
        assertThat(redis(2, "LLEN", RedisKeys.pending(QUEUE))).isEqualTo("0");
    }

    @Test
    void purgeRemovesTheMessageOfAFinishedTaskWithoutChangingIt() throws Exception {
        Setup s = separate();
        String cancelled = s.enqueue("acme");
        s.client.cancel(cancelled, "acme").await().atMost(WAIT);
        String finishedAt = record(cancelled).get("finished");

        PurgeOutcome outcome = s.inspector.purge(QUEUE).await().atMost(WAIT);

        assertThat(outcome).isEqualTo(new PurgeOutcome(QUEUE, 1, 0));
        assertThat(record(cancelled)).containsEntry("state", "REVOKED").containsEntry("finished", finishedAt);
    }

    @Test
    void purgeRevokesATaskPutBackWithTheStartedRecordOfItsLastAttempt() throws Exception {
        Setup s = separate();
        String putBack = s.enqueue("acme");
        redis(1, "HSET", RedisKeys.task(putBack), "state", "STARTED", "attempts", "1");

        PurgeOutcome outcome = s.inspector.purge(QUEUE).await().atMost(WAIT);

        assertThat(outcome).isEqualTo(new PurgeOutcome(QUEUE, 1, 1));
        assertThat(record(putBack)).containsEntry("state", "REVOKED");
    }

    @Test
    void purgeWritesARevokedRecordForAMessageWhoseRecordIsNotWrittenYet() throws Exception {
        Setup s = separate();
        String raw = message("DDDDDDDDDDDDDDDDDDDDDDDD", "noop");
        redis(0, "LPUSH", RedisKeys.pending(QUEUE), raw);

        PurgeOutcome outcome = s.inspector.purge(QUEUE).await().atMost(WAIT);

        assertThat(outcome).isEqualTo(new PurgeOutcome(QUEUE, 1, 1));
        assertThat(record("DDDDDDDDDDDDDDDDDDDDDDDD")).containsEntry("state", "REVOKED")
                .containsEntry("job", "noop").containsEntry("tenant", "acme");
    }

    @Test
    void purgeRemovesUnreadableMessagesToo() {
        Setup s = separate();
        redis(0, "LPUSH", RedisKeys.pending(QUEUE), "not a task message");

        PurgeOutcome outcome = s.inspector.purge(QUEUE).await().atMost(WAIT);

        assertThat(outcome).isEqualTo(new PurgeOutcome(QUEUE, 1, 0));
        assertThat(redis(0, "LLEN", RedisKeys.pending(QUEUE))).isEqualTo("0");
    }

    @Test
    void purgeLeavesDelayedMessagesAlone() throws Exception {
        Setup s = separate();
        s.client.runJobAsync(TestJobs.ECHO, JsonNodeFactory.instance.objectNode(), new EnqueueOptions("acme", null,
                Instant.now().plusSeconds(3600), null)).await().atMost(WAIT);

        PurgeOutcome outcome = s.inspector.purge(QUEUE).await().atMost(WAIT);

        assertThat(outcome).isEqualTo(new PurgeOutcome(QUEUE, 0, 0));
        assertThat(redis(0, "ZCARD", RedisKeys.delayed(QUEUE))).isEqualTo("1");
    }

    /** A client and an inspector on the same settings. */
    private final class Setup {
        final RedisOffloadClient client;
        final RedisInspector inspector;

        Setup(OffloadSettings settings) {
            RedisConnections connections = REDIS.connect(settings);
            client = new RedisOffloadClient(connections, TestJobs.registry(), new TaskIds(), mapper, settings);
            clients.add(client);
            inspector = new RedisInspector(connections, mapper, settings, TaskMetrics.unrecorded(TestJobs.registry()));
        }

        String enqueue(String tenant) {
            return client.runJobAsync(TestJobs.ECHO, JsonNodeFactory.instance.objectNode().put("n", 1),
                    EnqueueOptions.forTenant(tenant)).await().atMost(WAIT);
        }
    }

    private Setup separate() {
        return new Setup(OffloadSettingsFixture.redis(REDIS.server(), 0, 1));
    }

    private Setup separate(Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(Map.of("aurum.api.offload.enabled", "true",
                "aurum.api.offload.celery-broker-url", REDIS.server().url(0),
                "aurum.api.offload.celery-result-backend", REDIS.server().url(1)));
        properties.putAll(more);
        return new Setup(OffloadSettingsFixture.settings(properties));
    }

    /** A worker's lease and active list as its heartbeat and take write them. */
    private static void holdAsWorker(String worker, long leaseUntil, String message) {
        redis(0, "ZADD", RedisKeys.workers(QUEUE), Long.toString(leaseUntil), worker);
        redis(0, "LPUSH", RedisKeys.active(QUEUE, worker), message);
    }

    private String message(String id, String job) throws Exception {
        return mapper.writeValueAsString(new TaskMessage(id, job, QUEUE, "acme", 1_000,
                JsonNodeFactory.instance.objectNode()));
    }

    private static long leaseFromNow(long ms) {
        return System.currentTimeMillis() + ms;
    }

    private static Map<String, String> record(String id) {
        String[] lines = redis(1, "HGETALL", RedisKeys.task(id)).split("\n");
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < lines.length; i += 2) {
            fields.put(lines[i], lines[i + 1]);
        }
        return fields;
    }

    private static String redis(int db, String... args) {
        RedisServer server = REDIS.server();
        return server.command(db, args);
    }
}
