package io.aurum.offload.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Registering jobs by hand; the collection of {@code @Named} job beans is covered by the worker's Quarkus tests. */
class JobRegistryTest {

    private final JobRegistry registry = new JobRegistry();

    @Test
    void findsARegisteredJobByItsName() {
        Job echo = (payload, context) -> payload;

        registry.registerJob("echo", echo);

        assertThat(registry.find("echo")).containsSame(echo);
        assertThat(registry.contains("echo")).isTrue();
    }

    @Test
    void listsRegisteredNamesSorted() {
        registry.registerJob("zeta", (payload, context) -> payload);
        registry.registerJob("alpha", (payload, context) -> payload);

        assertThat(registry.names()).containsExactly("alpha", "zeta");
    }

    @Test
    void refusesASecondJobUnderATakenName() {
        registry.registerJob("report", (payload, context) -> payload);
        Job other = (payload, context) -> JsonNodeFactory.instance.objectNode();

        assertThatThrownBy(() -> registry.registerJob("report", other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'report'")
                .hasMessageContaining("registered twice");
    }

    @Test
    void keepsTheFirstJobWhenASecondIsRefused() {
        Job first = (payload, context) -> payload;
        registry.registerJob("report", first);

        assertThatThrownBy(() -> registry.registerJob("report", (payload, context) -> payload));

        assertThat(registry.find("report")).containsSame(first);
    }

    @Test
    void refusesNamesThatBreakTheNamingRule() {
        for (String invalid : new String[] {"", " report", "has space", "a/b", "{q:x}", "-leading", "x".repeat(101)}) {
            assertThatThrownBy(() -> registry.registerJob(invalid, (payload, context) -> payload))
                    .as("name '%s'", invalid)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(JobNames.RULE);
        }
    }

    @Test
    void refusesANullName() {
        assertThatThrownBy(() -> registry.registerJob(null, (payload, context) -> payload))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesANullJob() {
        assertThatThrownBy(() -> registry.registerJob("nothing", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nothing'");
    }

    @Test
    void acceptsNamesWithDotsDashesAndUnderscores() {
        registry.registerJob("reports.monthly_v2-final", (payload, context) -> payload);

        assertThat(registry.contains("reports.monthly_v2-final")).isTrue();
    }

    @Test
    void findsNothingUnderAnUnknownName() {
        registry.registerJob("known", (payload, context) -> payload);

        assertThat(registry.find("unknown")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
        assertThat(registry.contains("unknown")).isFalse();
    }

    @Test
    void keepsTheOptionsAJobWasRegisteredWith() {
        JobOptions once = JobOptions.DEFAULT.withMaxAttempts(1);

        registry.registerJob("charge", (payload, context) -> payload, once);

        assertThat(registry.options("charge")).isSameAs(once);
    }

    @Test
    void takesTheOptionsAJobDeclaresItself() {
        JobOptions limited = JobOptions.DEFAULT.withTimeLimits(Duration.ofSeconds(1), Duration.ofSeconds(2));
        Job declaring = new Job() {
            @Override
            public ObjectNode run(ObjectNode payload, JobContext context) {
                return payload;
            }

            @Override
            public JobOptions options() {
                return limited;
            }
        };

        registry.registerJob("limited", declaring);

        assertThat(registry.options("limited")).isSameAs(limited);
    }

    @Test
    void answersTheDefaultOptionsForAJobWithoutOwnOptionsOrAnUnknownName() {
        registry.registerJob("plain", (payload, context) -> payload);

        assertThat(registry.options("plain")).isSameAs(JobOptions.DEFAULT);
        assertThat(registry.options("unknown")).isSameAs(JobOptions.DEFAULT);
        assertThat(registry.options(null)).isSameAs(JobOptions.DEFAULT);
    }

    @Test
    void refusesNullOptions() {
        assertThatThrownBy(() -> registry.registerJob("nothing", (payload, context) -> payload, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nothing'");

        assertThat(registry.contains("nothing")).isFalse();
    }
}
