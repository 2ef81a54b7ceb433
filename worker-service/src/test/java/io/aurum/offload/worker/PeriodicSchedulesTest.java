package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.TestJobs;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Periodic job settings are read as operators write them, and a bad one is refused with the key to fix. */
class PeriodicSchedulesTest {

    private static final String KEY = "aurum.api.offload.schedules.nightly-report.";

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void readsACronScheduleWithItsPayloadQueueAndTenant() {
        Map<String, String> properties = Map.of(KEY + "job", "heavy_compute", KEY + "cron", "0 0 2 * * ?",
                KEY + "payload", "{\"day\":\"today\"}", KEY + "queue", "reports", KEY + "tenant", "acme");

        List<PeriodicSchedule> schedules = read(properties);

        assertThat(schedules).hasSize(1);
        PeriodicSchedule schedule = schedules.get(0);
        assertThat(schedule.name()).isEqualTo("nightly-report");
        assertThat(schedule.job()).isEqualTo("heavy_compute");
        assertThat(schedule.cron()).isEqualTo("0 0 2 * * ?");
        assertThat(schedule.every()).isNull();
        assertThat(schedule.payload().toString()).isEqualTo("{\"day\":\"today\"}");
        assertThat(schedule.queue()).isEqualTo("reports");
        assertThat(schedule.tenant()).isEqualTo("acme");
    }

    @Test
    void givesAnIntervalScheduleAnEmptyPayloadTheDefaultQueueAndNoTenant() {
        List<PeriodicSchedule> schedules = read(Map.of(KEY + "job", "heavy_compute", KEY + "every", "30s"));

        PeriodicSchedule schedule = schedules.get(0);
        assertThat(schedule.every()).isEqualTo(Duration.ofSeconds(30));
        assertThat(schedule.cron()).isNull();
        assertThat(schedule.payload().isEmpty()).isTrue();
        assertThat(schedule.queue()).isNull();
        assertThat(schedule.tenant()).isEmpty();
    }

    @Test
    void readsSchedulesFromEnvironmentNamesAsAConfigMapSetsThem() {
        Map<String, String> environment = Map.of(
                "AURUM_API_OFFLOAD_SCHEDULES_NIGHTLY_JOB", "heavy_compute",
                "AURUM_API_OFFLOAD_SCHEDULES_NIGHTLY_CRON", "0 0 2 * * ?",
                "AURUM_API_OFFLOAD_SCHEDULES_NIGHTLY_PAYLOAD", "{\"scope\":\"all\"}");

        List<PeriodicSchedule> schedules = PeriodicSchedules.fromSettings(fromEnvironment(environment), mapper);

        assertThat(schedules).extracting(PeriodicSchedule::name, PeriodicSchedule::cron)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nightly", "0 0 2 * * ?"));
        assertThat(schedules.get(0).payload().get("scope").asText()).isEqualTo("all");
    }

    @Test
    void refusesAScheduleWithBothCronAndEvery() {
        Map<String, String> properties = Map.of(KEY + "job", "heavy_compute", KEY + "cron", "0 0 2 * * ?",
                KEY + "every", "30s");

        assertThatThrownBy(() -> read(properties))
                .hasMessageContaining(KEY + "cron")
                .hasMessageContaining(KEY + "every")
                .hasMessageContaining("exactly one");
    }

    @Test
    void refusesAScheduleWithNeitherCronNorEvery() {
        assertThatThrownBy(() -> read(Map.of(KEY + "job", "heavy_compute")))
                .hasMessageContaining(KEY + "cron")
                .hasMessageContaining("exactly one");
    }

    @Test
    void refusesACronThatIsNotQuartzStyle() {
        Map<String, String> properties = Map.of(KEY + "job", "heavy_compute", KEY + "cron", "61 * * * * ?");

        assertThatThrownBy(() -> read(properties)).hasMessageContaining(KEY + "cron");
    }

    @Test
    void refusesAnIntervalUnderOneSecond() {
        Map<String, String> properties = Map.of(KEY + "job", "heavy_compute", KEY + "every", "100ms");

        assertThatThrownBy(() -> read(properties)).hasMessageContaining(KEY + "every");
    }

    @Test
    void refusesAPayloadThatIsNotJson() {
        Map<String, String> properties = Map.of(KEY + "job", "heavy_compute", KEY + "every", "30s",
                KEY + "payload", "{day: today");

        assertThatThrownBy(() -> read(properties))
                .hasMessageContaining(KEY + "payload")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void refusesAPayloadThatIsNotAnObject() {
        Map<String, String> properties = Map.of(KEY + "job", "heavy_compute", KEY + "every", "30s",
                KEY + "payload", "[1,2]");

        assertThatThrownBy(() -> read(properties)).hasMessageContaining(KEY + "payload");
    }

    @Test
    void refusesAQueueThatWouldBreakKeyNames() {
        Map<String, String> properties = Map.of(KEY + "job", "heavy_compute", KEY + "every", "30s",
                KEY + "queue", "a{b}");

        assertThatThrownBy(() -> read(properties)).hasMessageContaining(KEY + "queue");
    }

    @Test
    void refusesAScheduleWithoutAJob() {
        assertThatThrownBy(() -> read(Map.of(KEY + "every", "30s"))).hasMessageContaining(KEY + "job");
    }

    @Test
    void reportsEveryBadScheduleAtOnce() {
        Map<String, String> properties = new HashMap<>(Map.of(KEY + "job", "heavy_compute", KEY + "every", "30s",
                KEY + "payload", "nope"));
        properties.putAll(Map.of("aurum.api.offload.schedules.other.job", "heavy_compute"));

        assertThatThrownBy(() -> read(properties))
                .hasMessageContaining(KEY + "payload")
                .hasMessageContaining("aurum.api.offload.schedules.other.cron");
    }

    @Test
    void refusesAScheduledJobTheWorkerDoesNotKnow() {
        List<PeriodicSchedule> schedules = read(Map.of(KEY + "job", "no_such_job", KEY + "every", "30s"));

        assertThatThrownBy(() -> PeriodicSchedules.requireKnownJobs(schedules, TestJobs.registry()))
                .hasMessageContaining(KEY + "job")
                .hasMessageContaining("nightly-report")
                .hasMessageContaining("no_such_job");
    }

    @Test
    void acceptsScheduledJobsTheWorkerKnows() {
        List<PeriodicSchedule> schedules = read(Map.of(KEY + "job", TestJobs.ECHO, KEY + "every", "30s"));

        PeriodicSchedules.requireKnownJobs(schedules, TestJobs.registry());

        assertThat(schedules).extracting(PeriodicSchedule::job).containsExactly(TestJobs.ECHO);
    }

    private List<PeriodicSchedule> read(Map<String, String> properties) {
        return PeriodicSchedules.fromSettings(OffloadSettingsFixture.settings(properties), mapper);
    }

    private static OffloadSettings fromEnvironment(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(OffloadSettings.class)
                .withSources(new EnvConfigSource(environment, 300))
                .build()
                .getConfigMapping(OffloadSettings.class);
    }
}
