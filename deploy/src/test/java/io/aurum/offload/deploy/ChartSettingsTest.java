package io.aurum.offload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.aurum.offload.config.OffloadSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * The ConfigMap the chart renders holds only settings the services read, with values they accept; and the worker's
 * termination grace agrees with the shutdown grace it reads from there.
 */
class ChartSettingsTest {

    @Test
    void theSettingNamesComeFromTheMappingAndRefuseATypo() {
        assertThat(OffloadEnvironment.PROPERTY_NAMES).contains("aurum.api.offload.worker.shutdown-grace",
                "aurum.api.offload.redis-password", "aurum.api.offload.api.admin-password");

        assertThat(OffloadEnvironment.isSetting("AURUM_API_OFFLOAD_WORKER_CONCURRENCY")).isTrue();
        assertThat(OffloadEnvironment.isSetting("AURUM_API_OFFLOAD_SCHEDULES_NIGHTLY_CRON")).isTrue();
        assertThat(OffloadEnvironment.isSetting("AURUM_API_OFFLOAD_WORKER_CONCURENCY")).isFalse();
        assertThat(OffloadEnvironment.isSetting("AURUM_API_OFFLOAD_SCHEDULES_NIGHTLY_CRONN")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void everyConfigMapKeyIsASettingOfTheServices(ChartScenario scenario) {
        ConfigMap config = scenario.rendered().all(ConfigMap.class).getFirst();

        assertThat(config.getData()).isNotEmpty();
        assertThat(config.getData().keySet()).allSatisfy(key ->
                assertThat(OffloadEnvironment.isSetting(key)).as("%s is a setting", key).isTrue());
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void bothServicesAcceptTheEnvironmentTheChartGivesThem(ChartScenario scenario) {
        for (String component : new String[] {"api", "worker"}) {
            Map<String, String> environment = scenario.environment(component);

            assertThatCode(() -> OffloadEnvironment.settings(environment)).as("%s settings", component)
                    .doesNotThrowAnyException();
            assertThat(OffloadEnvironment.settings(environment).enabled()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(ChartScenario.class)
    void workerPodsOutliveTheirPreStopAndShutdownGrace(ChartScenario scenario) {
        OffloadSettings settings = OffloadEnvironment.settings(scenario.environment("worker"));
        PodSpec pod = scenario.rendered().deployment("worker").getSpec().getTemplate().getSpec();
        Duration preStop = ChartObjects.preStopSleep(pod.getContainers().getFirst());

        Duration termination = Duration.ofSeconds(pod.getTerminationGracePeriodSeconds());

        // After the grace the worker still interrupts what runs and puts it back on its queue: leave it seconds.
        assertThat(termination.minus(preStop).minus(settings.worker().shutdownGrace()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultWorkerPodsGetThirtyFiveSecondsForTheTwentyFiveOfShutdownGrace() {
        OffloadSettings settings = OffloadEnvironment.settings(ChartScenario.DEFAULTS.environment("worker"));
        PodSpec pod = ChartScenario.DEFAULTS.rendered().deployment("worker").getSpec().getTemplate().getSpec();

        assertThat(settings.worker().shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(35L);
    }

    @Test
    void aLongerPreStopAndShutdownGraceLengthenTheTerminationGrace() {
        OffloadSettings settings = OffloadEnvironment.settings(ChartScenario.CUSTOM.environment("worker"));
        PodSpec pod = ChartScenario.CUSTOM.rendered().deployment("worker").getSpec().getTemplate().getSpec();

        assertThat(settings.worker().shutdownGrace()).isEqualTo(Duration.ofSeconds(50));
        assertThat(ChartObjects.preStopSleep(pod.getContainers().getFirst())).isEqualTo(Duration.ofSeconds(5));
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(5L + 50L + 7L);
    }

    @Test
    void settingsTheValuesWriteUnquotedReachTheServicesAsTheirValues() {
        OffloadSettings settings = OffloadEnvironment.settings(ChartScenario.CUSTOM.environment("worker"));

        assertThat(settings.worker().concurrency()).isEqualTo(32);
        assertThat(settings.demoJobs()).isTrue();
        assertThat(settings.schedules()).containsKey("nightly");
        assertThat(settings.schedules().get("nightly").cron()).hasValue("0 0 2 * * ?");
    }

    /**
     * Helm reads the numbers of a values file as floating point: a million must still reach the ConfigMap as
     * "1000000", not "1e+06", which the services' integer settings refuse.
     */
    @Test
    void largeWholeNumbersReachTheConfigMapAsIntegers() throws Exception {
        RenderedChart chart = ChartScenario.renderWith("""
                config:
                  AURUM_API_OFFLOAD_DEAD_LETTER_MAX: 2000000
                  AURUM_API_OFFLOAD_API_MAX_WAITING: 1000000
                """);

        assertThat(chart.all(ConfigMap.class).getFirst().getData())
                .containsEntry("AURUM_API_OFFLOAD_DEAD_LETTER_MAX", "2000000")
                .containsEntry("AURUM_API_OFFLOAD_API_MAX_WAITING", "1000000");
        OffloadSettings settings = OffloadEnvironment.settings(
                new ContainerEnvironment(chart, Map.of()).of(chart.deployment("api")));
        assertThat(settings.deadLetterMax()).isEqualTo(2_000_000);
        assertThat(settings.api().maxWaiting()).isEqualTo(1_000_000);
    }
}
