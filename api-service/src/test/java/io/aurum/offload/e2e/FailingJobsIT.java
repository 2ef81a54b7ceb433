package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Jobs that go wrong in the three ways a job can, run by a real worker process: one that always throws, one that
 * never ends, one whose result is not JSON. Each ends in FAILURE with its reason; the worker carries on.
 */
@QuarkusIntegrationTest
@WithTestResource(value = OffloadSystemResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FailingJobsIT {

    private static final String TENANT = "tenant-failing";
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URI apiUri;
    OffloadSystem system;
    private ApiClient api;
    private TaskBatch batch;
    private ServiceProcess worker;

    @BeforeAll
    void startWorker() {
        api = new ApiClient(apiUri);
        OffloadEnv env = system.workerEnv().with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "4");
        worker = system.startWorker("failing-jobs", env);
        batch = new TaskBatch(api, 4);
    }

    @AfterAll
    void stopWorker() {
        system.reset();
    }

    @Test
    void jobThatAlwaysThrowsFailsAfterThreeAttemptsAndIsDeadLettered() {
        Submitted task = api.submit("fail", TENANT, payload().put("message", "boom on purpose"));

        TaskView view = awaitFinished(task);
        JsonNode deadLetter = ApiClient.parse(system.redis().command(0, "HGET", "aurum:{q:default}:dead:entries",
                task.taskId()));
        String deadScore = system.redis().command(0, "ZSCORE", "aurum:{q:default}:dead", task.taskId());

        report("fail", task, view);
        assertThat(view.state()).isEqualTo("FAILURE");
        assertThat(view.attempts()).isEqualTo(3);
        assertThat(view.body().path("error").path("type").asText()).isEqualTo("IllegalStateException");
        assertThat(view.body().path("error").path("message").asText()).isEqualTo("boom on purpose");
        assertThat(deadScore).as("dead-letter index entry").isNotBlank();
        assertThat(deadLetter.path("task_id").asText()).isEqualTo(task.taskId());
        assertThat(deadLetter.path("job").asText()).isEqualTo("fail");
        assertThat(deadLetter.path("tenant").asText()).isEqualTo(TENANT);
        assertThat(deadLetter.path("attempts").asLong()).isEqualTo(3);
        assertThat(deadLetter.path("error").path("type").asText()).isEqualTo("IllegalStateException");
        assertThat(deadLetter.path("error").path("message").asText()).isEqualTo("boom on purpose");
        assertThat(ApiClient.parse(deadLetter.path("message").asText()).path("payload")).isEqualTo(task.payload());
    }

    @Test
    void jobThatNeverEndsFailsWithTimeLimitExceededAtItsHardLimit() {
        Submitted task = api.submit("stuck", TENANT, payload());

        TaskView view = awaitFinished(task);

        Duration ran = Duration.between(Instant.parse(view.body().path("started_at").asText()),
                Instant.parse(view.body().path("finished_at").asText()));
        report("stuck", task, view);
        System.out.printf("[fault] stuck ran %d ms before FAILURE%n", ran.toMillis());
        assertThat(view.state()).isEqualTo("FAILURE");
        assertThat(view.body().path("error").path("type").asText()).isEqualTo("TimeLimitExceeded");
        assertThat(view.attempts()).as("a time limit is not retried").isEqualTo(1);
        // The job by itself would run a minute: ending far sooner, yet not before 2 s, is the hard limit's doing.
        assertThat(ran).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void jobWhoseResultIsNotJsonFailsWithInvalidResult() {
        Submitted task = api.submit("not_json", TENANT, payload());

        TaskView view = awaitFinished(task);

        report("not_json", task, view);
        assertThat(view.state()).isEqualTo("FAILURE");
        assertThat(view.body().path("error").path("type").asText()).isEqualTo("InvalidResult");
        assertThat(view.body().path("result").isMissingNode() || view.body().path("result").isNull()).isTrue();
        assertThat(view.attempts()).isEqualTo(1);
    }

    @Test
    void workerStillRunsANormalJobAfterThrowingStuckAndNonJsonJobs() {
        List<Submitted> broken = List.of(api.submit("fail", TENANT, payload()), api.submit("stuck", TENANT, payload()),
                api.submit("not_json", TENANT, payload()));
        Map<String, TaskView> brokenViews = batch.awaitFinished(broken, FINISH_TIMEOUT);
        ObjectNode input = payload().put("after", "broken jobs");

        Submitted normal = api.submit("heavy_compute", TENANT, input);
        TaskView view = awaitFinished(normal);

        System.out.printf("[fault] after broken jobs: broken-states=%s normal=%s worker-alive=%s%n",
                brokenViews.values().stream().map(TaskView::state).toList(), view.state(), worker.isAlive());
        assertThat(brokenViews.values()).extracting(TaskView::state).containsOnly("FAILURE");
        assertThat(view.state()).isEqualTo("SUCCESS");
        assertThat(view.body().path("result").path("ok").asBoolean()).isTrue();
        assertThat(view.body().path("result").path("input")).isEqualTo(input);
        assertThat(worker.isAlive()).isTrue();
    }

    private TaskView awaitFinished(Submitted task) {
        TaskView view = batch.awaitFinished(List.of(task), FINISH_TIMEOUT).get(task.taskId());
        assertThat(view.isFinished()).as("task %s finished: %s", task.taskId(), view.body()).isTrue();
        return view;
    }

    private static ObjectNode payload() {
        return ApiClient.JSON.createObjectNode();
    }

    private static void report(String job, Submitted task, TaskView view) {
        boolean finished = view.isFinished();
        System.out.printf("[fault] %s: accepted=1 completed=%d duplicates=0 lost=%d state=%s attempts=%d error=%s%n",
                job, finished ? 1 : 0, finished ? 0 : 1, view.state(), view.attempts(), view.body().path("error"));
    }
}
