package io.aurum.offload.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.aurum.offload.client.IdempotencyConflictException;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.PrivateRedis;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.TestJobs;

/**
 * Idempotency keys in the Redis backend, with no worker, in both layouts: broker and result backend as separate
 * databases (queue first, claim after) and as one database (one enqueue script).
 */
class RedisIdempotencyTest {

    @RegisterExtension
    static final PrivateRedis REDIS = new PrivateRedis();

    private static RedisServer server() {
        return REDIS.server();
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PENDING = RedisKeys.pending("default");

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
    /** Where the broker and the result backend live. */
    enum Layout {
        SEPARATE_DATABASES(0, 1), ONE_DATABASE(2, 2);

        final int brokerDb;
        final int resultDb;

        Layout(int brokerDb, int resultDb) {
            this.brokerDb = brokerDb;
            this.resultDb = resultDb;
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void answersARepeatWithTheSameKeyAndPayloadWithTheFirstIdAndQueuesOnce(Layout layout) {
        RedisOffloadClient client = client(layout);
        String first = enqueue(client, "acme", "order-17", payload(1));

        String repeat = enqueue(client, "acme", "order-17", payload(1));

        assertThat(repeat).isEqualTo(first);
        assertThat(queued(layout)).isEqualTo(1);
        assertThat(server().command(layout.brokerDb, "ZCARD", RedisKeys.delayed("default"))).isEqualTo("0");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void treatsAPayloadWithItsFieldsInAnotherOrderAsTheSame(Layout layout) {
        RedisOffloadClient client = client(layout);
        ObjectNode ordered = JsonNodeFactory.instance.objectNode().put("a", 1).put("b", "two");
        ObjectNode reordered = JsonNodeFactory.instance.objectNode().put("b", "two").put("a", 1);
        String first = enqueue(client, "acme", "order-17", ordered);

        String repeat = enqueue(client, "acme", "order-17", reordered);

        assertThat(repeat).isEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void refusesTheSameKeyWithAnotherPayload(Layout layout) {
        RedisOffloadClient client = client(layout);
        String first = enqueue(client, "acme", "order-17", payload(1));

        assertThatThrownBy(() -> enqueue(client, "acme", "order-17", payload(2)))
                .isInstanceOfSatisfying(IdempotencyConflictException.class,
                        conflict -> assertThat(conflict.existingTaskId()).isEqualTo(first));
        assertThat(queued(layout)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void refusesTheSameKeyForAnotherJob(Layout layout) {
        RedisOffloadClient client = client(layout);
        enqueue(client, "acme", "order-17", payload(1));

        assertThatThrownBy(() -> client.runJobAsync(TestJobs.EXPLODE, payload(1),
                EnqueueOptions.forTenant("acme").withIdempotencyKey("order-17")).await().atMost(WAIT))
                .isInstanceOf(IdempotencyConflictException.class);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void delaysAKeyedTaskWithNotBeforeUntilItsOwnTime(Layout layout) {
        RedisOffloadClient client = client(layout);
        Instant notBefore = Instant.now().plusSeconds(3_600);

        client.runJobAsync(TestJobs.ECHO, payload(1), EnqueueOptions.forTenant("acme").withIdempotencyKey("later")
                .notBefore(notBefore)).await().atMost(WAIT);

        assertThat(queued(layout)).isZero();
        assertThat(server().command(layout.brokerDb, "ZRANGE", RedisKeys.delayed("default"), "0", "-1", "WITHSCORES")
                .lines().toList()).hasSize(2).last().isEqualTo(Long.toString(notBefore.toEpochMilli()));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void keepsTheKeysOfDifferentTenantsApart(Layout layout) {
        RedisOffloadClient client = client(layout);
        String acme = enqueue(client, "acme", "order-17", payload(1));

        String globex = enqueue(client, "globex", "order-17", payload(2));

        assertThat(globex).isNotEqualTo(acme);
        assertThat(queued(layout)).isEqualTo(2);
        assertThat(client.fetchJobResult(globex, "globex").await().atMost(WAIT)).isInstanceOf(TaskLookup.Found.class);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void queuesEveryEnqueueWithoutAKey(Layout layout) {
        RedisOffloadClient client = client(layout);

        String first = client.runJobAsync(TestJobs.ECHO, payload(1), EnqueueOptions.forTenant("acme"))
                .await().atMost(WAIT);
        String second = client.runJobAsync(TestJobs.ECHO, payload(1), EnqueueOptions.forTenant("acme"))
                .await().atMost(WAIT);

        assertThat(second).isNotEqualTo(first);
        assertThat(queued(layout)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void remembersAKeyForTheIdempotencyWindow(Layout layout) {
        RedisOffloadClient client = client(layout);

        enqueue(client, "acme", "order-17", payload(1));

        String claim = server().command(layout.resultDb, "KEYS", "aurum:{i:acme:*");
        long ttl = Long.parseLong(server().command(layout.resultDb, "PTTL", claim));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofDays(1).toMillis());
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void queuesANewTaskOnceTheKeysWindowHasPassed(Layout layout) {
        RedisOffloadClient client = client(layout, Map.of("aurum.api.offload.idempotency-window", "300ms"));
        String first = enqueue(client, "acme", "order-17", payload(1));
        awaitTrue("the key to be forgotten", () -> server().command(layout.resultDb, "KEYS", "aurum:{i:*").isEmpty());

        String later = enqueue(client, "acme", "order-17", payload(2));

        assertThat(later).isNotEqualTo(first);
        assertThat(queued(layout)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void givesConcurrentFirstUsesOfOneKeyOneIdAndOneLiveTask(Layout layout) throws Exception {
        RedisOffloadClient client = client(layout);
        int callers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            for (int i = 0; i < callers; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    awaitLatch(go);
                    return enqueue(client, "acme", "order-17", payload(1));
                }, threads));
            }

            go.countDown();

            Set<String> ids = new HashSet<>();
            for (CompletableFuture<String> answer : answers) {
                ids.add(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            assertThat(ids).hasSize(1);
            assertThat(liveTasks(layout)).containsExactlyElementsOf(ids);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Ids of the recorded tasks that are not REVOKED. */
    private List<String> liveTasks(Layout layout) {
        List<String> live = new ArrayList<>();
        for (String key : server().command(layout.resultDb, "KEYS", "aurum:{t:*}").lines().toList()) {
            if (!"REVOKED".equals(server().command(layout.resultDb, "HGET", key, "state"))) {
                live.add(key.substring("aurum:{t:".length(), key.length() - 1));
            }
        }
        return live;
    }

    private long queued(Layout layout) {
        return Long.parseLong(server().command(layout.brokerDb, "LLEN", PENDING));
    }

    private String enqueue(RedisOffloadClient client, String tenant, String key, ObjectNode payload) {
        return client.runJobAsync(TestJobs.ECHO, payload, EnqueueOptions.forTenant(tenant).withIdempotencyKey(key))
                .await().atMost(WAIT);
    }

    private RedisOffloadClient client(Layout layout) {
        return client(layout, Map.of());
    }

    private RedisOffloadClient client(Layout layout, Map<String, String> extraSettings) {
        Map<String, String> properties = new HashMap<>(extraSettings);
        properties.put("aurum.api.offload.enabled", "true");
        properties.put("aurum.api.offload.celery-broker-url", server().url(layout.brokerDb));
        properties.put("aurum.api.offload.celery-result-backend", server().url(layout.resultDb));
        OffloadSettings settings = OffloadSettingsFixture.settings(properties);
        RedisConnections connections = REDIS.connect(settings);
        return new RedisOffloadClient(connections, TestJobs.registry(), new TaskIds(), mapper, settings);
    }

    private static ObjectNode payload(int order) {
        return JsonNodeFactory.instance.objectNode().put("order", order).put("note", "größe ✓");
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", WAIT, what).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("start signal never came");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
