package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitState;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.message;
import static io.aurum.offload.worker.WorkerTasks.pushPending;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.metrics.TaskMetrics;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.testing.PrometheusScrape;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The worker's metrics at {@code /q/metrics} as tasks flow through it against a real redis-server. Meters outlive
 * the tests of this application, so each test compares with the values before it. A task's metrics are recorded
 * just after its outcome is stored, so the tests wait (bounded) for them.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerMetricsTest {

    private static final String TENANT = "acme";
    private static final String QUEUE = WorkerTasks.QUEUE;

    @Inject
    OffloadClient client;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @Test
    void countsStartsAndSuccessesAndTimesEachTask() {
        String job = HeavyComputeJob.NAME;
        Figures before = Figures.of(scrape(), job);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(enqueue(job, JsonNodeFactory.instance.objectNode().put("i", i), EnqueueOptions.forTenant(TENANT)));
        }
        ids.forEach(id -> assertThat(awaitFinished(client, id, TENANT).state()).isEqualTo(TaskState.SUCCESS));
        Figures after = awaitFigures(job, figures -> figures.succeeded >= before.succeeded + 3);

        assertThat(after.enqueued - before.enqueued).isEqualTo(3);
        assertThat(after.started - before.started).isEqualTo(3);
        assertThat(after.succeeded - before.succeeded).isEqualTo(3);
        assertThat(after.failed - before.failed).isZero();
        assertThat(after.queueWaits - before.queueWaits).isEqualTo(3);
        assertThat(after.runs("success") - before.runs("success")).isEqualTo(3);
        assertThat(after.finishes("success") - before.finishes("success")).isEqualTo(3);
    }

    @Test
    void countsEachRetryAndTheFinalFailure() {
        Figures before = Figures.of(scrape(), "fail");

        String id = enqueue("fail", JsonNodeFactory.instance.objectNode(), EnqueueOptions.forTenant(TENANT));
        assertThat(awaitFinished(client, id, TENANT).state()).isEqualTo(TaskState.FAILURE);
        Figures after = awaitFigures("fail", figures -> figures.failed >= before.failed + 1);

        assertThat(after.started - before.started).isEqualTo(3);
        assertThat(after.retried - before.retried).isEqualTo(2);
        assertThat(after.failed - before.failed).isEqualTo(1);
        assertThat(after.runs("retry") - before.runs("retry")).isEqualTo(2);
        assertThat(after.runs("failure") - before.runs("failure")).isEqualTo(1);
        assertThat(after.finishes("failure") - before.finishes("failure")).isEqualTo(1);
        assertThat(after.finishes("retry")).as("a retry is not the task's end").isZero();
    }

    @Test
    void countsARunningTaskCancelledAsRevoked() {
        Figures before = Figures.of(scrape(), "sleep");

        String id = enqueue("sleep", JsonNodeFactory.instance.objectNode().put("ms", 20_000),
                EnqueueOptions.forTenant(TENANT));
        awaitState(client, id, TENANT, TaskState.STARTED);
        client.cancel(id, TENANT).await().atMost(WorkerTasks.WAIT);
        assertThat(awaitFinished(client, id, TENANT).state()).isEqualTo(TaskState.REVOKED);
        Figures after = awaitFigures("sleep", figures -> figures.revoked >= before.revoked + 1);

        assertThat(after.revoked - before.revoked).isEqualTo(1);
        assertThat(after.runs("revoked") - before.runs("revoked")).isEqualTo(1);
        assertThat(after.finishes("revoked") - before.finishes("revoked")).isEqualTo(1);
    }

    @Test
    void foldsAJobItDoesNotKnowIntoOneSeriesWithoutItsName() {
        Figures before = Figures.of(scrape(), TaskMetrics.UNREGISTERED_JOB);

        String id = new TaskIds().next();
        pushPending(message(id, "job_nobody_registered", TENANT, "{}"));
        assertThat(awaitFinished(client, id, TENANT).state()).isEqualTo(TaskState.FAILURE);
        Figures after = awaitFigures(TaskMetrics.UNREGISTERED_JOB, figures -> figures.failed >= before.failed + 1);

        assertThat(after.failed - before.failed).isEqualTo(1);
        assertThat(scrape().toString()).doesNotContain("job_nobody_registered").doesNotContain(id)
                .doesNotContain("tenant=");
    }

    @Test
    void timesTheQueueWaitOfADelayedTaskFromItsNotBeforeNotFromItsEnqueue() {
        long delayMs = 4_000;
        Figures before = Figures.of(scrape(), "sleep");
        double waitedBefore = scrape().sum("aurum_task_queue_wait_seconds_sum", "job", "sleep", "queue", QUEUE);

        String id = enqueue("sleep", JsonNodeFactory.instance.objectNode().put("ms", 0),
                EnqueueOptions.forTenant(TENANT).notBefore(Instant.now().plusMillis(delayMs)));
        assertThat(awaitFinished(client, id, TENANT).state()).isEqualTo(TaskState.SUCCESS);
        Figures after = awaitFigures("sleep", figures -> figures.succeeded >= before.succeeded + 1);
        PrometheusScrape scrape = scrape();

        assertThat(after.queueWaits - before.queueWaits).isEqualTo(1);
        double waited = scrape.sum("aurum_task_queue_wait_seconds_sum", "job", "sleep", "queue", QUEUE) - waitedBefore;
        double sinceEnqueue = scrape.sum("aurum_task_enqueue_to_finish_seconds_sum", "job", "sleep", "queue", QUEUE,
                "outcome", "success") - before.finishSeconds;
        assertThat(sinceEnqueue).as("enqueue to finish includes the delay").isGreaterThanOrEqualTo(delayMs / 1000.0);
        assertThat(waited).as("the queue wait starts at not_before").isLessThan(delayMs / 1000.0);
    }

    @Test
    void gaugesThisWorkerAsAliveOnItsQueue() {
        awaitTrue("the worker's heartbeat after the flush", () ->
                scrape().sum("aurum_workers_alive", "queue", QUEUE) == 1);

        assertThat(scrape().sum("aurum_queue_depth", "queue", QUEUE)).isZero();
    }

    private String enqueue(String job, ObjectNode payload, EnqueueOptions options) {
        return client.runJobAsync(job, payload, options).await().atMost(WorkerTasks.WAIT);
    }

    private static PrometheusScrape scrape() {
        return PrometheusScrape.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    private static Figures awaitFigures(String job, java.util.function.Predicate<Figures> condition) {
        Figures[] last = new Figures[1];
        awaitTrue("the metrics of job " + job, () -> condition.test(last[0] = Figures.of(scrape(), job)));
        return last[0];
    }

    /** One job's figures on the default queue in one scrape. */
    private record Figures(PrometheusScrape scrape, String job, double enqueued, double started, double succeeded,
            double retried, double failed, double revoked, double queueWaits, double finishSeconds) {

        static Figures of(PrometheusScrape scrape, String job) {
            return new Figures(scrape, job, count(scrape, "aurum_tasks_enqueued_total", job),
                    count(scrape, "aurum_tasks_started_total", job), count(scrape, "aurum_tasks_succeeded_total", job),
                    count(scrape, "aurum_tasks_retried_total", job), count(scrape, "aurum_tasks_failed_total", job),
                    count(scrape, "aurum_tasks_revoked_total", job),
                    count(scrape, "aurum_task_queue_wait_seconds_count", job),
                    scrape.sum("aurum_task_enqueue_to_finish_seconds_sum", "job", job, "queue", QUEUE, "outcome",
                            "success"));
        }

        double runs(String outcome) {
            return scrape.sum("aurum_task_run_seconds_count", "job", job, "queue", QUEUE, "outcome", outcome);
        }

        double finishes(String outcome) {
            return scrape.sum("aurum_task_enqueue_to_finish_seconds_count", "job", job, "queue", QUEUE, "outcome",
                    outcome);
        }

        private static double count(PrometheusScrape scrape, String name, String job) {
            return scrape.sum(name, "job", job, "queue", QUEUE);
        }
    }
}
