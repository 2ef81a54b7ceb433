package io.aurum.offload.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.aurum.offload.job.JobPerformer;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.TestJobs;

/** The stub in its default mode: tasks are recorded and stay PENDING. */
class StubOffloadClientTest extends OffloadClientContract {

    private StubOffloadClient client;

    @BeforeEach
    void createClient() {
        JobRegistry registry = TestJobs.registry();
        client = new StubOffloadClient(registry, new JobPerformer(registry), OffloadSettingsFixture.settings(Map.of()));
    }

    @Override
    protected OffloadClient client() {
        return client;
    }

    @Test
    void numbersTasksInOrder() {
        String first = enqueue(TestJobs.ECHO, "acme");
        String second = enqueue(TestJobs.ECHO, "acme");

        assertThat(first).isEqualTo("stub-00000001");
        assertThat(second).isEqualTo("stub-00000002");
    }

    @Test
    void readsAtOnceWhenMaxWaitingReadsWaitAlready() {
        JobRegistry registry = TestJobs.registry();
        StubOffloadClient noWaiting = new StubOffloadClient(registry, new JobPerformer(registry),
                OffloadSettingsFixture.settings(Map.of("aurum.api.offload.api.max-waiting", "0")));
        String id = noWaiting.runJobAsync(TestJobs.ECHO, payload(), EnqueueOptions.forTenant("acme"))
                .await().atMost(WAIT);

        TaskLookup lookup = noWaiting.fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.PENDING));
    }

    @Test
    void leavesATaskPendingEvenWhenItsJobWouldFail() throws InterruptedException {
        String id = enqueue(TestJobs.EXPLODE, "acme");

        Thread.sleep(200);

        assertThat(fetch(id, "acme")).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.PENDING));
    }
}
