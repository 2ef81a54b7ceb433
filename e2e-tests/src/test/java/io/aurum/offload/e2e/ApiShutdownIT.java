package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ServiceProcess.Service;

/**
 * A rolling update stops the api with SIGTERM while clients wait on status reads ({@code ?wait=}): each gets its
 * task's state as an answer, not a cut connection, and the api then exits. No worker runs, so the task stays PENDING
 * and the read would otherwise wait its whole time.
 */
class ApiShutdownIT {

    private static final int WAIT_SECONDS = 25;
    /** Well under the read's own wait: the answer comes from the stop, not from the wait running out. */
    private static final Duration ANSWER_AFTER_STOP = Duration.ofSeconds(12);
    /** Long enough for the read to reach the api and start waiting; the outcome does not depend on it. */
    private static final Duration BEFORE_STOP = Duration.ofMillis(1500);

    private E2eSystem system;

    @AfterEach
    void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void answersAWaitingStatusReadWithItsTaskStateWhenStoppedAndExits() throws Exception {
        system = new E2eSystem("api-stop");
        ServiceProcess api = system.start(Service.API, OffloadEnv.on(system.redis(), false));
        Submitted task = new ApiClient(api).submit("noop", "acme", JsonNodeFactory.instance.objectNode());
        HttpRequest waiting = HttpRequest.newBuilder(api.baseUri().resolve(URI.create(task.location().getPath()
                        + "?wait=" + WAIT_SECONDS)))
                .header("X-Aurum-Tenant", "acme").timeout(Duration.ofSeconds(WAIT_SECONDS + 15)).GET().build();

        try (HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(waiting,
                    HttpResponse.BodyHandlers.ofString());
            ServiceProcess.pause(BEFORE_STOP);
            assertThat(answer).as("the read waits while the task is pending").isNotDone();

            api.stop();
            HttpResponse<String> response = answer.get(ANSWER_AFTER_STOP.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(response.statusCode()).as("a task not finished yet").isEqualTo(202);
            assertThat(ApiClient.parse(response.body()).path("state").asText()).isEqualTo("PENDING");
        }
        assertThat(api.awaitExit(Duration.ofSeconds(30))).as("exit of %s", api).isPresent();
        assertThat(api.output()).contains("Stopping: status reads that wait for their task answer now");
    }
}
