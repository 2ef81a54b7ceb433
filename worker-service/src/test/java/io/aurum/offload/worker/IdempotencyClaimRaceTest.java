package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.redis.RedisOffloadClient;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.TestJobs;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Two first uses of one idempotency key race with broker and result backend apart, and a worker is quick: the
 * caller that loses the key must not leave a task that runs. The losing caller is paused on its way, the other
 * caller and a worker's start step run meanwhile, then it goes on.
 */
class IdempotencyClaimRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisServer server;
    private static Vertx vertx;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() {
        vertx.closeAndAwait();
        server.close();
    }

    @Test
    void leavesOneRunnableTaskWhenAWorkerTakesTheLosersMessageFirst() throws Exception {
        OffloadSettings settings = OffloadSettingsFixture.redis(server, 0, 1);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        PausingConnections pausing = new PausingConnections(vertx, settings, gate);
        RedisOffloadClient slow = new RedisOffloadClient(pausing, TestJobs.registry(), new TaskIds(),
                new ObjectMapper().registerModule(new JavaTimeModule()), settings);
        RedisConnections plain = new RedisConnections(vertx, settings);
        RedisOffloadClient fast = new RedisOffloadClient(plain, TestJobs.registry(), new TaskIds(),
                new ObjectMapper().registerModule(new JavaTimeModule()), settings);
        WorkerIdentity identity = new WorkerIdentity();
        TaskRecorder worker = new TaskRecorder(plain, identity,
                new TaskFetcher(plain, identity, settings, new ObjectMapper()), new ObjectMapper(), settings);

        CompletableFuture<String> loser = slow.runJobAsync(TestJobs.ECHO, payload(), keyed())
                .subscribeAsCompletionStage();
        pausing.awaitPaused();
        String winner = fast.runJobAsync(TestJobs.ECHO, payload(), keyed()).await().atMost(WAIT);
        List<TaskMessage> taken = takeAndStartAll(worker);
        gate.complete(null);
        String answered = loser.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(answered).isEqualTo(winner);
        assertThat(taken).extracting(TaskMessage::id).as("tasks a worker started").containsExactly(winner);
        assertThat(server.command(0, "ZCARD", RedisKeys.delayed("default"))).as("messages left held").isEqualTo("0");
        assertThat(recordsNotRevoked()).containsExactly(winner);
    }

    /** Ids of the task records (result backend, database 1) that are not REVOKED. */
    private static List<String> recordsNotRevoked() {
        List<String> ids = new ArrayList<>();
        for (String key : server.command(1, "KEYS", "aurum:{t:*}").lines().toList()) {
            if (key.endsWith("}") && !"REVOKED".equals(server.command(1, "HGET", key, "state"))) {
                ids.add(key.substring("aurum:{t:".length(), key.length() - 1));
            }
        }
        return ids;
    }

    /** What a quick worker does with everything queued: take each message and run the start step on it. */
    private static List<TaskMessage> takeAndStartAll(TaskRecorder worker) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<TaskMessage> started = new ArrayList<>();
        for (String raw : server.command(0, "LRANGE", RedisKeys.pending("default"), "0", "-1").lines().toList()) {
            TaskMessage message = mapper.readValue(raw, TaskMessage.class);
            if (!worker.start(message, System.currentTimeMillis()).skip()) {
                started.add(message);
            }
        }
        return started;
    }

    private static EnqueueOptions keyed() {
        return EnqueueOptions.forTenant("acme").withIdempotencyKey("order-17");
    }

    private static ObjectNode payload() {
        return JsonNodeFactory.instance.objectNode().put("order", 17);
    }

    /** Result-backend connection that holds its caller's third script call (the key claim) until a gate opens. */
    private static final class PausingConnections extends RedisConnections {

        private final Redis pausingResults;
        private final CompletableFuture<Void> paused = new CompletableFuture<>();

        PausingConnections(Vertx vertx, OffloadSettings settings, CompletableFuture<Void> gate) {
            super(vertx, settings);
            Redis real = super.results();
            AtomicInteger calls = new AtomicInteger();
            this.pausingResults = new Redis(real.getDelegate()) {
                @Override
                public Uni<Response> send(Request request) {
                    if (calls.incrementAndGet() == 3) {
                        paused.complete(null);
                        return Uni.createFrom().completionStage(gate).chain(() -> real.send(request));
                    }
                    return real.send(request);
                }
            };
        }

        @Override
        public Redis results() {
            return pausingResults;
        }

        void awaitPaused() throws Exception {
            paused.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
