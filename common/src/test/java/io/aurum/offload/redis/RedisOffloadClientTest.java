package io.aurum.offload.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.aurum.offload.client.BackendUnavailableException;
import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.client.OffloadClientContract;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.metrics.TaskMetrics;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.PrivateRedis;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.TestJobs;
import io.aurum.offload.tracing.TaskTracing;

/**
 * The Redis backend against a private redis-server, with no worker: the contract, then what it leaves in Redis.
 * By default the broker is database 0 and the result backend database 1, as in production.
 */
class RedisOffloadClientTest extends OffloadClientContract {

    @RegisterExtension
    static final PrivateRedis REDIS = new PrivateRedis();

    private static RedisServer server() {
        return REDIS.server();
    }

    private static final String PENDING = RedisKeys.pending("default");
    private static final String DELAYED = RedisKeys.delayed("default");

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
    private final List<TaskDoneSubscriber> subscribers = new ArrayList<>();
    private RedisOffloadClient client;

    @BeforeEach
    void createClient() {
        client = client(OffloadSettingsFixture.redis(server(), 0, 1), new TaskIds());
    }

    @AfterEach
    void stopSubscribers() {
        subscribers.forEach(TaskDoneSubscriber::stop);
    }

    @Override
    protected OffloadClient client() {
        return client;
    }

    @Test
    void givesRandomIdsOf144BitsInUrlSafeCharacters() {
        String id = enqueue(TestJobs.ECHO, "acme");

        assertThat(id).matches("[A-Za-z0-9_-]{24}");
    }

    @Test
    void pushesTheMessageOnTheBrokerAndRecordsTheTaskInTheResultBackend() throws IOException {
        String id = enqueue(TestJobs.ECHO, "acme");

        TaskMessage message = onlyPendingMessage(0);
        assertThat(message.id()).isEqualTo(id);
        assertThat(message.job()).isEqualTo(TestJobs.ECHO);
        assertThat(message.queue()).isEqualTo("default");
        assertThat(message.tenant()).isEqualTo("acme");
        assertThat(message.payload()).isEqualTo(payload());
        assertThat(record(1, id, "state")).isEqualTo("PENDING");
        assertThat(record(1, id, "tenant")).isEqualTo("acme");
        assertThat(server().command("-n", "0", "EXISTS", RedisKeys.task(id))).isEqualTo("0");
        assertThat(server().command("-n", "1", "EXISTS", PENDING)).isEqualTo("0");
    }

    @Test
    void enqueuesInOneDatabaseWhenBrokerAndResultBackendAreTheSame() throws IOException {
        OffloadSettings oneDatabase = OffloadSettingsFixture.redis(server(), 2, 2);
        RedisOffloadClient shared = client(oneDatabase, new TaskIds());

        String id = shared.runJobAsync(TestJobs.ECHO, payload(), EnqueueOptions.forTenant("acme")).await().atMost(WAIT);

        assertThat(onlyPendingMessage(2).id()).isEqualTo(id);
        assertThat(record(2, id, "state")).isEqualTo("PENDING");
        assertThat(record(2, id, "job")).isEqualTo(TestJobs.ECHO);
        assertThat(shared.fetchJobResult(id, "acme").await().atMost(WAIT)).isInstanceOf(TaskLookup.Found.class);
    }

    @Test
    void neverSetsARecordAWorkerAlreadyWroteBackToPending() throws IOException {
        String id = new TaskIds().next();
        RedisOffloadClient withKnownId = client(OffloadSettingsFixture.redis(server(), 0, 1), fixedId(id));
        // A worker took the message and wrote the record before the client's PENDING write landed.
        server().command("-n", "1", "HSET", RedisKeys.task(id), "job", TestJobs.ECHO, "queue", "default",
                "tenant", "acme", "created", "1", "state", "STARTED", "attempts", "1");

        withKnownId.runJobAsync(TestJobs.ECHO, payload(), EnqueueOptions.forTenant("acme")).await().atMost(WAIT);

        assertThat(onlyPendingMessage(0).id()).isEqualTo(id);
        assertThat(record(1, id, "state")).isEqualTo("STARTED");
        assertThat(record(1, id, "attempts")).isEqualTo("1");
    }

    @Test
    void answersExpiredToTheOwnerOnceTheRecordIsGoneButItsMarkerIsNot() {
        String id = enqueue(TestJobs.ECHO, "acme");
        expireRecordLeavingMarker(id, "acme");

        TaskLookup lookup = fetch(id, "acme");

        assertThat(lookup).isEqualTo(new TaskLookup.Expired(id));
    }

    @Test
    void answersUnknownToAnotherTenantOnceTheRecordExpired() {
        String id = enqueue(TestJobs.ECHO, "acme");
        expireRecordLeavingMarker(id, "acme");

        TaskLookup lookup = fetch(id, "globex");

        assertThat(lookup).isEqualTo(new TaskLookup.Unknown(id));
    }

    @Test
    void answersUnknownOnceTheMarkerExpiredToo() {
        String id = enqueue(TestJobs.ECHO, "acme");
        server().command("-n", "1", "DEL", RedisKeys.task(id));

        TaskLookup lookup = fetch(id, "acme");

        assertThat(lookup).isEqualTo(new TaskLookup.Unknown(id));
    }

    @Test
    void parksATaskWithAFutureNotBeforeInTheDelayedSetScoredByItsDueTime() throws IOException {
        Instant notBefore = Instant.now().plusSeconds(60);

        String id = client.runJobAsync(TestJobs.ECHO, payload(), EnqueueOptions.forTenant("acme").notBefore(notBefore))
                .await().atMost(WAIT);

        assertThat(server().command("-n", "0", "LLEN", PENDING)).isEqualTo("0");
        assertThat(onlyDelayedMessage(0).id()).isEqualTo(id);
        assertThat(server().command("-n", "0", "ZRANGE", DELAYED, "0", "-1", "WITHSCORES").lines().toList().get(1))
                .isEqualTo(Long.toString(notBefore.toEpochMilli()));
        assertThat(record(1, id, "not_before")).isEqualTo(Long.toString(notBefore.toEpochMilli()));
        assertThat(record(1, id, "state")).isEqualTo("PENDING");
    }

    @Test
    void parksADelayedTaskInOneStepWhenBrokerAndResultBackendAreTheSame() throws IOException {
        RedisOffloadClient shared = client(OffloadSettingsFixture.redis(server(), 2, 2), new TaskIds());
        Instant notBefore = Instant.now().plusSeconds(60);

        String id = shared.runJobAsync(TestJobs.ECHO, payload(), EnqueueOptions.forTenant("acme").notBefore(notBefore))
                .await().atMost(WAIT);

        assertThat(server().command("-n", "2", "LLEN", PENDING)).isEqualTo("0");
        assertThat(onlyDelayedMessage(2).id()).isEqualTo(id);
        assertThat(record(2, id, "not_before")).isEqualTo(Long.toString(notBefore.toEpochMilli()));
    }

    @Test
    void queuesATaskWhoseNotBeforeHasPassedAtOnce() throws IOException {
        Instant past = Instant.now().minusSeconds(60);

        String id = client.runJobAsync(TestJobs.ECHO, payload(), EnqueueOptions.forTenant("acme").notBefore(past))
                .await().atMost(WAIT);

        assertThat(onlyPendingMessage(0).id()).isEqualTo(id);
        assertThat(server().command("-n", "0", "ZCARD", DELAYED)).isEqualTo("0");
        assertThat(record(1, id, "not_before")).isEmpty();
    }

    @Test
    void givesARevokedRecordTheResultTimeToLiveAndAGoneMarker() {
        String id = enqueue(TestJobs.ECHO, "acme");

        client.cancel(id, "acme").await().atMost(WAIT);

        long recordTtl = Long.parseLong(server().command("-n", "1", "PTTL", RedisKeys.task(id)));
        assertThat(recordTtl).isPositive().isLessThanOrEqualTo(Duration.ofDays(1).toMillis());
        assertThat(server().command("-n", "1", "GET", RedisKeys.gone(id))).isEqualTo("acme");
    }

    @Test
    void asksTheWorkerOfARunningTaskToStopRatherThanRevokingIt() {
        String id = enqueue(TestJobs.ECHO, "acme");
        server().command("-n", "1", "HSET", RedisKeys.task(id), "state", "STARTED", "attempts", "1");

        CancelOutcome outcome = client.cancel(id, "acme").await().atMost(WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CancelOutcome.Requested.class,
                requested -> assertThat(requested.status().state()).isEqualTo(TaskState.STARTED));
        assertThat(record(1, id, "cancel")).isEqualTo("1");
        assertThat(record(1, id, "state")).isEqualTo("STARTED");
    }

    @Test
    void showsTheRetryTimeAndTheFailedAttemptsErrorWhileATaskWaitsForItsRetry() {
        String id = enqueue(TestJobs.ECHO, "acme");
        long retryAt = System.currentTimeMillis() + 60_000;
        // As the worker's record script leaves a task whose attempt failed and earned another.
        server().command("-n", "1", "HSET", RedisKeys.task(id), "state", "RETRY", "attempts", "1", "failures", "1",
                "retry_at", Long.toString(retryAt), "error_type", "IOException", "error_message", "connection reset");

        TaskStatus status = ((TaskLookup.Found) fetch(id, "acme")).status();

        assertThat(status.state()).isEqualTo(TaskState.RETRY);
        assertThat(status.retryAt()).isEqualTo(Instant.ofEpochMilli(retryAt));
        assertThat(status.error()).isEqualTo(new TaskError("IOException", "connection reset"));
        assertThat(status.result()).isNull();
    }

    @Test
    void failsEnqueueAsUnavailableWhenRedisIsDown() {
        try (RedisServer stopped = RedisServer.start()) {
            RedisOffloadClient cut = client(OffloadSettingsFixture.redis(stopped, 0, 1), new TaskIds());
            stopped.kill();

            assertThatThrownBy(() -> cut.runJobAsync(TestJobs.ECHO, payload()).await().atMost(WAIT))
                    .isInstanceOf(BackendUnavailableException.class);
        }
    }

    @Test
    void failsStatusReadsAsUnavailableWhenRedisIsDown() {
        try (RedisServer stopped = RedisServer.start()) {
            RedisOffloadClient cut = client(OffloadSettingsFixture.redis(stopped, 0, 1), new TaskIds());
            String id = cut.runJobAsync(TestJobs.ECHO, payload()).await().atMost(WAIT);
            stopped.kill();

            assertThatThrownBy(() -> cut.fetchJobResult(id, null).await().atMost(WAIT))
                    .isInstanceOf(BackendUnavailableException.class);
        }
    }

    @Test
    void answersAWaitingReadAsSoonAsAWorkerStoresTheOutcome() {
        String id = enqueue(TestJobs.ECHO, "acme");
        CompletableFuture.runAsync(() -> finishAsTheWorkerDoes(id, "{\"ok\":true}"), soon());

        TaskLookup lookup = client.fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.SUCCESS));
    }

    @Test
    void answersAWokenReadFromTheRecordItsFinishPublishedWithoutReadingAgain() {
        String id = enqueue(TestJobs.ECHO, "acme");
        CompletableFuture.runAsync(() -> publishOnceWatched(id, "acme", "{\"from\":\"published\"}"), soon());

        TaskLookup lookup = client.fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class, found -> {
            assertThat(found.status().state()).isEqualTo(TaskState.SUCCESS);
            assertThat(found.status().result().path("from").asText()).isEqualTo("published");
        });
        assertThat(record(1, id, "state")).as("the stored record, never written here").isEqualTo("PENDING");
    }

    @Test
    void readsAgainWhenThePublishedRecordIsAnotherTenants() {
        String id = enqueue(TestJobs.ECHO, "acme");
        CompletableFuture.runAsync(() -> {
            publishOnceWatched(id, "globex", "{\"from\":\"published\"}");
            finishAsTheWorkerDoes(id, "{\"from\":\"stored\"}");
        }, soon());

        TaskLookup lookup = client.fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().result().path("from").asText()).isEqualTo("stored"));
    }

    @Test
    void marksTheRecordWatchedOnlyForAReadThatWaitsForAnUnfinishedTask() {
        String watched = enqueue(TestJobs.ECHO, "acme");
        String readOnly = enqueue(TestJobs.ECHO, "acme");
        String finished = enqueue(TestJobs.ECHO, "acme");
        cancel(finished, "acme");

        client.fetchJobResult(watched, "acme", Duration.ofMillis(50)).await().atMost(WAIT);
        client.fetchJobResult(readOnly, "acme").await().atMost(WAIT);
        client.fetchJobResult(finished, "acme", Duration.ofMillis(50)).await().atMost(WAIT);
        client.fetchJobResult(readOnly, "globex", Duration.ofMillis(50)).await().atMost(WAIT);

        assertThat(record(1, watched, "watch")).isEqualTo("1");
        assertThat(record(1, readOnly, "watch")).isEmpty();
        assertThat(record(1, finished, "watch")).isEmpty();
    }

    @Test
    void neverCreatesARecordForAWaitingReadOfAnUnknownOrExpiredTask() {
        String expired = enqueue(TestJobs.ECHO, "acme");
        expireRecordLeavingMarker(expired, "acme");
        String neverIssued = new TaskIds().next();

        TaskLookup forExpired = client.fetchJobResult(expired, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);
        TaskLookup forUnknown = client.fetchJobResult(neverIssued, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(forExpired).isEqualTo(new TaskLookup.Expired(expired));
        assertThat(forUnknown).isEqualTo(new TaskLookup.Unknown(neverIssued));
        assertThat(server().command("-n", "1", "EXISTS", RedisKeys.task(expired), RedisKeys.task(neverIssued)))
                .isEqualTo("0");
    }

    @Test
    void publishesTheIdOfAWatchedTaskThatACancelRevokes() {
        String id = enqueue(TestJobs.ECHO, "acme");
        client.fetchJobResult(id, "acme", Duration.ofMillis(50)).await().atMost(WAIT);
        TaskDoneSubscriber listener = subscriber(OffloadSettingsFixture.redis(server(), 0, 1));
        // Registered once subscribed: a waiter of before would be woken by the subscription itself.
        awaitSubscribed(listener);
        TaskWaiters.Waiter waiter = listener.waiters().register(id);

        client.cancel(id, "acme").await().atMost(WAIT);

        assertThat(waiter.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
    }

    @Test
    void endsAWaitAtItsLimitWithAFreshReadWhileTheSubscriptionIsDown() {
        String id = enqueue(TestJobs.ECHO, "acme");
        OffloadSettings settings = OffloadSettingsFixture.redis(server(), 0, 1);
        TaskDoneSubscriber unreachable;
        try (RedisServer gone = RedisServer.start()) {
            unreachable = subscriber(OffloadSettingsFixture.redis(gone, 0, 1));
        }
        RedisOffloadClient cut = new RedisOffloadClient(REDIS.connect(settings), TestJobs.registry(), new TaskIds(),
                mapper, settings, unreachable, TaskMetrics.unrecorded(TestJobs.registry()), TaskTracing.none());
        CompletableFuture.runAsync(() -> finishAsTheWorkerDoes(id, "{\"ok\":true}"), soon());

        long start = System.nanoTime();
        TaskLookup lookup = cut.fetchJobResult(id, "acme", Duration.ofSeconds(1)).await().atMost(WAIT);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(unreachable.isSubscribed()).isFalse();
        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.SUCCESS));
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void readsAtOnceWithoutWatchingWhenMaxWaitingReadsWaitAlready() {
        Map<String, String> properties = new HashMap<>(Map.of("aurum.api.offload.api.max-waiting", "0"));
        properties.put("aurum.api.offload.enabled", "true");
        properties.put("aurum.api.offload.celery-broker-url", server().url(0));
        properties.put("aurum.api.offload.celery-result-backend", server().url(1));
        RedisOffloadClient noWaiting = client(OffloadSettingsFixture.settings(properties), new TaskIds());
        String id = noWaiting.runJobAsync(TestJobs.ECHO, payload(), EnqueueOptions.forTenant("acme"))
                .await().atMost(WAIT);

        TaskLookup lookup = noWaiting.fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.PENDING));
        assertThat(record(1, id, "watch")).isEmpty();
        assertThat(noWaiting.taskDone().isSubscribed()).isFalse();
    }

    private RedisOffloadClient client(OffloadSettings settings, TaskIds ids) {
        JobRegistry registry = TestJobs.registry();
        RedisConnections connections = REDIS.connect(settings);
        RedisOffloadClient made = new RedisOffloadClient(connections, registry, ids, mapper, settings);
        subscribers.add(made.taskDone());
        return made;
    }

    private TaskDoneSubscriber subscriber(OffloadSettings settings) {
        TaskDoneSubscriber made = new TaskDoneSubscriber(REDIS.connect(settings), settings);
        subscribers.add(made);
        made.start();
        return made;
    }

    private static void awaitSubscribed(TaskDoneSubscriber subscriber) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!subscriber.isSubscribed()) {
            assertThat(System.nanoTime()).as("subscribed within %s", WAIT).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** Stores SUCCESS and publishes the id of a watched task in one script, as the worker's record script does. */
    private void finishAsTheWorkerDoes(String id, String resultJson) {
        server().command("-n", "1", "EVAL", """
                redis.call('HSET', KEYS[1], 'state', 'SUCCESS', 'result', ARGV[1], 'finished', ARGV[2])
                if redis.call('HGET', KEYS[1], 'watch') == '1' then
                  redis.call('PUBLISH', ARGV[3], ARGV[4])
                end
                """, "1", RedisKeys.task(id), resultJson, Long.toString(System.currentTimeMillis()),
                RedisKeys.taskDoneChannel(), id);
    }

    /**
     * Publishes a finished record for {@code id} as the worker's finish does, once a read watches the task, but
     * leaves the stored record as it is.
     */
    private void publishOnceWatched(String id, String tenant, String resultJson) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!"1".equals(record(1, id, "watch")) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        String published = "[\"job\",\"" + TestJobs.ECHO + "\",\"queue\",\"default\",\"tenant\",\"" + tenant
                + "\",\"state\",\"SUCCESS\",\"result\"," + JsonNodeFactory.instance.textNode(resultJson)
                + ",\"created\",\"1\",\"finished\",\"2\",\"attempts\",\"1\"]";
        server().command("-n", "1", "PUBLISH", RedisKeys.taskDoneChannel(), id + " " + published);
    }

    /** The worker's finish step sets the gone marker; the record's time-to-live then runs out. */
    private void expireRecordLeavingMarker(String id, String tenant) {
        server().command("-n", "1", "SET", RedisKeys.gone(id), tenant, "PX", "60000");
        server().command("-n", "1", "PEXPIRE", RedisKeys.task(id), "1");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!"0".equals(server().command("-n", "1", "EXISTS", RedisKeys.task(id)))) {
            assertThat(System.nanoTime()).as("record of %s still there", id).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private TaskMessage onlyPendingMessage(int db) throws IOException {
        assertThat(server().command("-n", Integer.toString(db), "LLEN", PENDING)).isEqualTo("1");
        String raw = server().command("-n", Integer.toString(db), "LINDEX", PENDING, "0");
        return mapper.readValue(raw, TaskMessage.class);
    }

    private TaskMessage onlyDelayedMessage(int db) throws IOException {
        assertThat(server().command("-n", Integer.toString(db), "ZCARD", DELAYED)).isEqualTo("1");
        String raw = server().command("-n", Integer.toString(db), "ZRANGE", DELAYED, "0", "0");
        return mapper.readValue(raw, TaskMessage.class);
    }

    private String record(int db, String id, String field) {
        return server().command("-n", Integer.toString(db), "HGET", RedisKeys.task(id), field);
    }

    private static TaskIds fixedId(String id) {
        return new TaskIds() {
            @Override
            public String next() {
                return id;
            }
        };
    }
}
