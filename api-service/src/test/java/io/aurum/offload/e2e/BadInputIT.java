package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.BadInputCorpus.Expect;
import io.aurum.offload.e2e.BadInputCorpus.Probe;
import io.aurum.offload.e2e.RawHttp.Answer;
import io.aurum.offload.e2e.TaskBatch.Order;
import io.aurum.offload.testing.RedisServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * A generated corpus of bad requests thrown at the running api over real HTTP: every answer is a 4xx (never a
 * 5xx) in the problem format, unicode payloads come back exactly, and the tasks accepted before are untouched.
 */
@QuarkusIntegrationTest
@WithTestResource(value = OffloadSystemResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BadInputIT {

    private static final long SEED = 20_261_203L;
    private static final int EARLIER_TASKS = 20;

    @TestHTTPResource("/")
    URI apiUri;
    OffloadSystem system;

    @AfterEach
    void stopWorkers() {
        system.reset();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyBadRequestGetsAProblem4xxAndLeavesOtherTasksIntact() {
        RedisServer redis = system.redis();
        ApiClient api = new ApiClient(apiUri);
        TaskBatch batch = new TaskBatch(api, 8);
        // No worker yet: the earlier tasks wait in the queue while the corpus runs, where it could harm them.
        List<Submitted> earlier = batch.submit(IntStream.range(0, EARLIER_TASKS).mapToObj(i -> new Order(
                "heavy_compute", "tenant-earlier", ApiClient.JSON.createObjectNode().put("n", i).put("s", "é-" + i)))
                .toList());
        Map<String, String> recordsBefore = records(redis, earlier);
        List<Probe> corpus = BadInputCorpus.generate(SEED);
        long started = System.nanoTime();

        List<String> violations = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        List<Submitted> roundTrips = new ArrayList<>();
        for (Probe probe : corpus) {
            Answer answer = RawHttp.exchange(apiUri.getPort(), probe.request());
            statuses.merge(probe.category() + " " + answer.status(), 1, Integer::sum);
            String problem = check(probe, answer);
            if (problem != null) {
                violations.add("[%s] %s -> %d %s: %s".formatted(probe.category(), probe.label(), answer.status(),
                        abbreviate(answer.text()), problem));
            } else if (answer.status() == 202) {
                roundTrips.add(accepted(answer, (ObjectNode) probe.expect().roundTrip()));
            }
        }
        long corpusMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("[fault] bad input: probes=%d (seed %d) in %d ms, answers by category and status %s%n",
                corpus.size(), SEED, corpusMs, statuses);
        violations.forEach(violation -> System.out.println("[fault] VIOLATION " + violation));
        Map<String, String> recordsAfter = records(redis, earlier);
        Map<String, TaskView> earlierAfterCorpus = batch.look(earlier);
        ServiceProcess worker = system.startWorker("bad-input", system.workerEnv());
        Map<String, TaskView> earlierLast = batch.awaitFinished(earlier, Duration.ofMinutes(2));
        Map<String, TaskView> roundTripLast = batch.awaitFinished(roundTrips, Duration.ofMinutes(2));

        System.out.printf("[fault] bad input: violations=%d round-trips=%d earlier-tasks=%d earlier-completed=%d%n",
                violations.size(), roundTrips.size(), earlier.size(), SleepTasks.succeeded(earlierLast));
        assertThat(corpus).hasSizeGreaterThan(250);
        assertThat(violations).isEmpty();
        assertThat(recordsAfter).as("records of the tasks accepted before the corpus").isEqualTo(recordsBefore);
        assertThat(earlierAfterCorpus.values()).extracting(TaskView::state).containsOnly("PENDING");
        assertThat(earlier).allSatisfy(task -> {
            TaskView view = earlierLast.get(task.taskId());
            assertThat(view.state()).as("earlier task %s: %s", task.taskId(), view.body()).isEqualTo("SUCCESS");
            assertThat(view.body().path("result").path("input")).isEqualTo(task.payload());
        });
        assertThat(brokenRoundTrips(roundTrips, roundTripLast)).isEmpty();
        assertThat(worker.isAlive()).isTrue();
    }

    /**
     * The accepted unicode payloads that did not come back exactly from the worker, written with every non-ASCII
     * character escaped, so that a lone surrogate survives the report.
     */
    private static List<String> brokenRoundTrips(List<Submitted> tasks, Map<String, TaskView> last) {
        List<String> broken = new ArrayList<>();
        for (Submitted task : tasks) {
            TaskView view = last.get(task.taskId());
            JsonNode back = view.body().path("result").path("input");
            if (!"SUCCESS".equals(view.state()) || !back.equals(task.payload())) {
                broken.add("%s sent %s, got %s %s".formatted(task.taskId(), ascii(task.payload()), view.state(),
                        ascii(back)));
            }
        }
        return broken;
    }

    private static String ascii(JsonNode node) {
        try {
            return ApiClient.JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return "(not writable: " + e.getOriginalMessage() + ")";
        }
    }

    /** Null if the answer keeps the probe's promise, else what is wrong with it. */
    private static String check(Probe probe, Answer answer) {
        Expect expect = probe.expect();
        int status = answer.status();
        if (status < 0 && expect.mayClose()) {
            return null;
        }
        if (status >= 500 || status < 0) {
            return "a server error or no answer";
        }
        if (expect.roundTrip() != null && status == 202) {
            return null;
        }
        if (expect.roundTrip() != null) {
            return "expected 202";
        }
        if (status < 400) {
            return "expected a 4xx";
        }
        if (!expect.statuses().isEmpty() && !expect.statuses().contains(status)) {
            return "expected one of " + expect.statuses();
        }
        if (expect.httpLayer()) {
            return null;
        }
        return checkProblem(answer, expect);
    }

    private static String checkProblem(Answer answer, Expect expect) {
        String type = answer.header("Content-Type");
        if (type == null || !type.startsWith("application/problem+json")) {
            return "Content-Type " + type + ", not application/problem+json";
        }
        JsonNode body;
        try {
            body = ApiClient.parse(answer.text());
        } catch (RuntimeException e) {
            return "body is not JSON";
        }
        for (String member : List.of("type", "title", "detail")) {
            if (!body.path(member).isTextual() || body.path(member).asText().isBlank()) {
                return "problem without " + member;
            }
        }
        if (body.path("status").asInt() != answer.status()) {
            return "problem status " + body.path("status") + " differs from the HTTP status";
        }
        String detail = body.path("detail").asText();
        if (detail.contains("Exception") || detail.contains("\tat ") || detail.contains("java.")) {
            return "detail shows internals";
        }
        if (expect.detailContains() != null && !detail.contains(expect.detailContains())) {
            return "detail does not mention '" + expect.detailContains() + "'";
        }
        if (expect.detailLacks() != null && detail.contains(expect.detailLacks())) {
            return "detail wrongly mentions '" + expect.detailLacks() + "'";
        }
        return null;
    }

    /** Each task's record hash as redis-cli prints it (database 1, the result backend). */
    private static Map<String, String> records(RedisServer redis, List<Submitted> tasks) {
        return tasks.stream().collect(Collectors.toMap(Submitted::taskId,
                task -> redis.command(1, "HGETALL", "aurum:{t:" + task.taskId() + "}")));
    }

    /** The task of a 202 read from raw bytes, carrying the payload it must give back. */
    private static Submitted accepted(Answer answer, ObjectNode payload) {
        String taskId = ApiClient.parse(answer.text()).path("task_id").asText();
        // Only the path: the raw requests name no port in their Host header, so the Location has none either.
        URI location = URI.create(URI.create(answer.header("Location")).getRawPath());
        return new Submitted(taskId, BadInputCorpus.TENANT, location, payload);
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 160 ? flat : flat.substring(0, 157) + "...";
    }
}
