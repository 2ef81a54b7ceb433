package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Idempotency with a worker taking tasks as they are queued: concurrent first uses of one key run the job once.
 * Broker and result backend are separate databases, the layout where enqueue is not one script.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerIdempotencyTest {

    private static final String TENANT = "acme";
    private static final int CALLERS = 8;
    private static final int ROUNDS = 10;

    @Inject
    OffloadClient client;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @Test
    void runsTheJobOnceForConcurrentFirstUsesOfOneKey() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Set<String> ids = enqueueConcurrently("order-" + round);
            assertThat(ids).as("ids answered for key order-%d", round).hasSize(1);
        }

        awaitTrue("every task settled", WorkerTasks::queueDrained);
        List<String> succeeded = tasksInState("SUCCESS");
        assertThat(succeeded).as("tasks run to success for %d keys", ROUNDS).hasSize(ROUNDS);
        assertThat(tasksInState("STARTED")).isEmpty();
    }

    private Set<String> enqueueConcurrently(String key) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(CALLERS);
        try {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await(WorkerTasks.WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return enqueue(key);
                }, threads));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<String> answer : answers) {
                ids.add(answer.get(WorkerTasks.WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            return ids;
        } finally {
            threads.shutdownNow();
        }
    }

    private String enqueue(String key) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("key", key);
        return client.runJobAsync(HeavyComputeJob.NAME, payload, EnqueueOptions.forTenant(TENANT)
                .withIdempotencyKey(key)).await().atMost(WorkerTasks.WAIT);
    }

    /** Ids of the task records (result backend, database 1) in {@code state}. */
    private static List<String> tasksInState(String state) {
        List<String> ids = new ArrayList<>();
        for (String key : redis().command("-n", "1", "KEYS", "aurum:{t:*}").lines().toList()) {
            if (key.endsWith("}") && state.equals(redis().command("-n", "1", "HGET", key, "state"))) {
                ids.add(key.substring("aurum:{t:".length(), key.length() - 1));
            }
        }
        return ids;
    }
}
