package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.ServiceProcess.Service;

/**
 * What an operator sets in the environment decides how the packaged services start, or whether they do.
 *
 * <p>Launches the api itself rather than as a {@code @QuarkusIntegrationTest}: these tests need an api that fails
 * to start (Quarkus would fail the whole class at launch), and settings given through the api's environment, where
 * Quarkus passes a test's settings as system properties.
 */
class StartupSettingsIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    private E2eSystem system;

    @AfterEach
    void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void apiRefusesToStartWithABrokerUrlThatIsNotAUrl() {
        system = new E2eSystem("bad-broker");
        OffloadEnv env = OffloadEnv.on(system.redis(), false).with("AURUM_API_OFFLOAD_CELERY_BROKER_URL", "not-a-url");

        ServiceProcess api = system.launch(Service.API, env);
        OptionalInt exit = api.awaitExit(EXIT_TIMEOUT);

        assertThat(exit).as("exit code of %s", api).isPresent();
        assertThat(exit.getAsInt()).isNotZero();
        assertThat(api.output()).contains("aurum.api.offload.celery-broker-url");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void workerRefusesToStartWithConcurrencyZero() {
        system = new E2eSystem("zero-concurrency");
        OffloadEnv env = OffloadEnv.on(system.redis(), false).with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "0");

        ServiceProcess worker = system.launch(Service.WORKER, env);
        OptionalInt exit = worker.awaitExit(EXIT_TIMEOUT);

        assertThat(exit).as("exit code of %s", worker).isPresent();
        assertThat(exit.getAsInt()).isNotZero();
        assertThat(worker.output()).contains("aurum.api.offload.worker.concurrency");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void workerRefusesToStartUnlessOffloadIsEnabled() {
        system = new E2eSystem("not-enabled");
        OffloadEnv env = OffloadEnv.on(system.redis(), false).without("AURUM_API_OFFLOAD_ENABLED");

        ServiceProcess worker = system.launch(Service.WORKER, env);
        OptionalInt exit = worker.awaitExit(EXIT_TIMEOUT);

        assertThat(exit).as("exit code of %s", worker).isPresent();
        assertThat(exit.getAsInt()).isNotZero();
        assertThat(worker.output()).contains("set AURUM_API_OFFLOAD_ENABLED=true");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void celeryEraEnvironmentNamesConfigureBothServices() {
        system = new E2eSystem("celery-names");
        OffloadEnv env = OffloadEnv.empty().enabled()
                .with("AURUM_CELERY_BROKER_URL", system.redis().url(0))
                .with("AURUM_CELERY_RESULT_BACKEND", system.redis().url(1))
                .with("AURUM_CELERY_TASK_DEFAULT_QUEUE", "celeryq");
        ApiClient api = new ApiClient(system.start(Service.API, env));
        system.start(Service.WORKER, env);

        Submitted task = api.submit("heavy_compute", "tenant-a", ApiClient.JSON.createObjectNode().put("n", 7));
        TaskView last = new TaskBatch(api, 1).awaitFinished(List.of(task), Duration.ofSeconds(60))
                .get(task.taskId());

        assertThat(last.state()).as("task %s", last.body()).isEqualTo("SUCCESS");
        assertThat(last.body().path("queue").asText()).isEqualTo("celeryq");
        assertThat(last.body().path("result").path("input")).isEqualTo(task.payload());
        assertThat(system.redis().command("-n", "0", "EXISTS", "aurum:{q:celeryq}:workers")).isEqualTo("1");
    }
}
