package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The running worker fires its periodic jobs, and each slot's task is enqueued once and runs to SUCCESS. */
@QuarkusTest
@TestProfile(BeatTest.EverySecond.class)
@WithTestResource(RedisTestResource.class)
class BeatTest {

    static final String TENANT = "beat-tenant";
    static final String PROFILE = "beat-test";

    @Inject
    OffloadClient client;

    /** Two schedules in the settings, an interval and a cron, each firing every second for one tenant. */
    public static class EverySecond implements QuarkusTestProfile {

        @Override
        public String getConfigProfile() {
            return PROFILE;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "aurum.api.offload.schedules.tick.job", HeavyComputeJob.NAME,
                    "aurum.api.offload.schedules.tick.every", "1s",
                    "aurum.api.offload.schedules.tick.payload", "{\"source\":\"settings\"}",
                    "aurum.api.offload.schedules.tick.tenant", TENANT,
                    "aurum.api.offload.schedules.cron-tick.job", HeavyComputeJob.NAME,
                    "aurum.api.offload.schedules.cron-tick.cron", "* * * * * ?",
                    "aurum.api.offload.schedules.cron-tick.payload", "{\"source\":\"cron\"}",
                    "aurum.api.offload.schedules.cron-tick.tenant", TENANT);
        }
    }

    /** A schedule declared in code, present only under this test's profile. */
    @Singleton
    @IfBuildProfile(PROFILE)
    static class CodeSchedules {

        @Produces
        @Singleton
        PeriodicSchedule everySecondFromCode() {
            ObjectNode payload = JsonNodeFactory.instance.objectNode().put("source", "code");
            return PeriodicSchedule.every("code-tick", HeavyComputeJob.NAME, Duration.ofSeconds(1))
                    .withPayload(payload)
                    .forTenant(TENANT);
        }
    }

    @Test
    void runsTheTaskOfEachSlotOfAnEverySecondScheduleToSuccess() {
        awaitTrue("three slots of schedule tick", () -> claims("tick").size() >= 3);

        List<String> ids = claims("tick").stream().map(claim -> redis().command(0, "GET", claim)).toList();

        assertThat(ids).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(3);
        for (String id : ids) {
            TaskStatus status = awaitFinished(client, id, TENANT);
            assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
            assertThat(status.job()).isEqualTo(HeavyComputeJob.NAME);
            assertThat(status.result().toString()).isEqualTo("{\"ok\":true,\"input\":{\"source\":\"settings\"}}");
        }
    }

    @Test
    void enqueuesNoTaskBesideTheOneClaimedForItsSlot() {
        awaitTrue("three slots of schedule tick", () -> claims("tick").size() >= 3);
        List<String> recorded = recordedTaskIds();

        List<String> claimed = Stream.of("tick", "cron-tick", "code-tick").flatMap(name -> claims(name).stream())
                .map(claim -> redis().command(0, "GET", claim))
                .toList();

        // A record is written after its slot's claim, so every record read first has a claim read after.
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(3);
        assertThat(claimed).doesNotHaveDuplicates().containsAll(recorded);
    }

    @Test
    void givesEachClaimAnEverySecondSlot() {
        awaitTrue("three slots of schedule tick", () -> claims("tick").size() >= 3);

        List<Long> slots = claims("tick").stream()
                .map(claim -> Long.parseLong(claim.substring(claim.lastIndexOf(':') + 1)))
                .toList();

        assertThat(slots).allSatisfy(slot -> assertThat(slot % 1000).isZero());
        assertThat(slots).doesNotHaveDuplicates();
    }

    @Test
    void runsTheTaskOfEachSlotOfACronScheduleToSuccess() {
        awaitTrue("two slots of schedule cron-tick", () -> claims("cron-tick").size() >= 2);

        List<String> ids = claims("cron-tick").stream().map(claim -> redis().command(0, "GET", claim)).toList();

        assertThat(ids).doesNotHaveDuplicates();
        for (String id : ids) {
            TaskStatus status = awaitFinished(client, id, TENANT);
            assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
            assertThat(status.result().toString()).isEqualTo("{\"ok\":true,\"input\":{\"source\":\"cron\"}}");
        }
    }

    @Test
    void firesAScheduleDeclaredInCode() {
        awaitTrue("a slot of schedule code-tick", () -> !claims("code-tick").isEmpty());

        String id = redis().command(0, "GET", claims("code-tick").get(0));

        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result().toString()).isEqualTo("{\"ok\":true,\"input\":{\"source\":\"code\"}}");
    }

    /** The slot claims of a schedule on the default queue, in the broker (database 0). */
    private static List<String> claims(String schedule) {
        String keys = redis().command(0, "KEYS", RedisKeys.beatSlot("default", schedule, 0).replaceAll("0$", "*"));
        return keys.isEmpty() ? List.of() : Arrays.asList(keys.split("\n"));
    }

    /** Ids of this tenant's task records, in the result backend (database 1). */
    private static List<String> recordedTaskIds() {
        String keys = redis().command(1, "KEYS", "aurum:{t:*}");
        return Arrays.stream(keys.split("\n"))
                .filter(key -> !key.isEmpty() && !key.endsWith(":gone"))
                .filter(key -> TENANT.equals(redis().command(1, "HGET", key, "tenant")))
                .map(key -> key.substring("aurum:{t:".length(), key.length() - 1))
                .toList();
    }
}
