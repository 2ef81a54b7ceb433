package io.aurum.offload.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobNames;
import io.aurum.offload.job.JobRegistry;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Reads the periodic jobs of the settings and checks them, so that a bad schedule stops the worker at startup with
 * a message naming the key to fix, rather than failing at its first slot. Every problem is reported at once.
 */
final class PeriodicSchedules {

    private static final Pattern NAME = Pattern.compile(OffloadSettings.QUEUE_NAME);
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String NAME_RULE = "1 to 64 letters, digits, '_', '.' or '-'";

    private PeriodicSchedules() {
    }

    /**
     * The schedules of {@code aurum.api.offload.schedules}, by name.
     *
     * @throws ConfigurationException naming each key whose value is invalid
     */
    static List<PeriodicSchedule> fromSettings(OffloadSettings settings, ObjectMapper mapper) {
        List<PeriodicSchedule> schedules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, OffloadSettings.Schedule> entry : new TreeMap<>(settings.schedules()).entrySet()) {
            int before = problems.size();
            PeriodicSchedule schedule = read(entry.getKey(), entry.getValue(), mapper, problems);
            if (problems.size() == before) {
                schedules.add(schedule);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid periodic job schedules:\n  " + String.join("\n  ", problems));
        }
        return schedules;
    }

    /**
     * Checks that this worker knows every scheduled job, so that a misspelt name fails startup rather than every slot.
     *
     * @throws ConfigurationException naming the schedule and its job key
     */
    static void requireKnownJobs(List<PeriodicSchedule> schedules, JobRegistry registry) {
        List<String> problems = schedules.stream()
                .filter(schedule -> !registry.contains(schedule.job()))
                .map(schedule -> "%s: schedule '%s' names job '%s', which this worker does not know; known jobs: %s"
                        .formatted(key(schedule.name(), "job"), schedule.name(), schedule.job(), registry.names()))
                .toList();
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Unknown periodic jobs:\n  " + String.join("\n  ", problems));
        }
    }

    /** The full key of one setting of schedule {@code name}, as an operator writes it. */
    static String key(String name, String field) {
        String quoted = name.contains(".") ? "\"" + name + "\"" : name;
        return OffloadSettings.PREFIX + ".schedules." + quoted + "." + field;
    }

    private static PeriodicSchedule read(String name, OffloadSettings.Schedule settings, ObjectMapper mapper,
            List<String> problems) {
        if (!NAME.matcher(name).matches()) {
            problems.add("%s: schedule name '%s' must be %s".formatted(key(name, "*"), name, NAME_RULE));
        }
        if (!JobNames.isValid(settings.job())) {
            problems.add("%s: '%s' is not a job name: %s".formatted(key(name, "job"), settings.job(), JobNames.RULE));
        }
        ObjectNode payload = payload(name, settings.payload(), mapper, problems);
        String queue = settings.queue().orElse(null);
        if (queue != null && !NAME.matcher(queue).matches()) {
            problems.add("%s: '%s' must be %s".formatted(key(name, "queue"), queue, NAME_RULE));
        }
        String tenant = settings.tenant().orElse("");
        if (!tenant.isEmpty() && !TENANT.matcher(tenant).matches()) {
            problems.add("%s: '%s' must be %s".formatted(key(name, "tenant"), tenant, NAME_RULE));
        }
        return timing(name, settings, payload, queue, tenant, problems);
    }

    private static PeriodicSchedule timing(String name, OffloadSettings.Schedule settings, ObjectNode payload,
            String queue, String tenant, List<String> problems) {
        if (settings.cron().isPresent() == settings.every().isPresent()) {
            problems.add("%s, %s: give exactly one of them, such as every=30s or cron=0 0 2 * * ?"
                    .formatted(key(name, "cron"), key(name, "every")));
            return null;
        }
        try {
            return new PeriodicSchedule(name, settings.job(), settings.cron().orElse(null),
                    settings.every().orElse(null), payload, queue, tenant);
        } catch (IllegalArgumentException e) {
            String field = settings.cron().isPresent() ? "cron" : "every";
            problems.add("%s: %s".formatted(key(name, field), e.getMessage()));
            return null;
        }
    }

    private static ObjectNode payload(String name, String json, ObjectMapper mapper, List<String> problems) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
            problems.add("%s: must be a JSON object such as {\"day\":\"today\"}, was %s".formatted(key(name, "payload"),
                    json));
        } catch (JsonProcessingException e) {
            problems.add("%s: not valid JSON (%s)".formatted(key(name, "payload"), e.getOriginalMessage()));
        }
        return null;
    }
}
