package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskLog;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * One log line per event of a task's life, in one shape, with the task's fields in the logging context (where JSON
 * logs take them from) as the line is written.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class TaskLogLinesTest {

    @Inject
    OffloadClient client;

    private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext && ext.getMdc(TaskLog.TASK_ID) != null) {
                lines.add(new Line(record.getLevel(), ext.getFormattedMessage(), ext.getMdcCopy()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    record Line(Level level, String message, Map<String, String> context) {

        String event() {
            return context.get(TaskLog.EVENT);
        }
    }

    @BeforeEach
    void captureLines() {
        redis().command("FLUSHALL");
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void logsEachAttemptAndItsOutcomeOnceWithTheTasksFields() {
        String id = enqueue("flaky", 1);

        assertThat(awaitFinished(client, id, "acme").state()).isEqualTo(TaskState.SUCCESS);

        List<Line> all = awaitLines(id, 5);
        // The enqueue logs PENDING when Redis answers it, which may come after the worker took the task.
        assertThat(all).extracting(Line::event).containsOnlyOnce("PENDING");
        List<Line> mine = all.stream().filter(line -> !"PENDING".equals(line.event())).toList();
        assertThat(mine).extracting(Line::event).containsExactly("STARTED", "RETRY", "STARTED", "SUCCESS");
        assertThat(all).allSatisfy(line -> {
            assertThat(line.context()).containsEntry("task_id", id).containsEntry("job", "flaky")
                    .containsEntry("queue", "default");
            assertThat(line.message()).startsWith("task " + line.event() + " id=" + id + " job=flaky queue=default");
        });
        assertThat(mine.get(0).context()).containsEntry("attempt", "1").containsKey("wait_ms");
        assertThat(mine.get(1).level()).isEqualTo(org.jboss.logmanager.Level.WARN);
        assertThat(mine.get(1).context()).containsEntry("attempt", "1").containsEntry("error_type",
                "IllegalStateException").containsKeys("duration_ms", "retry_at");
        assertThat(mine.get(1).message()).endsWith(": flaky failure on attempt 1");
        assertThat(mine.get(2).context()).containsEntry("attempt", "2").doesNotContainKey("wait_ms");
        assertThat(mine.get(3).context()).containsEntry("attempt", "2").containsKey("duration_ms");
        assertThat(Long.parseLong(mine.get(3).context().get("duration_ms"))).isNotNegative();
    }

    @Test
    void logsAFinalFailureAsAnErrorWithItsType() {
        String id = enqueue("fail", 0);

        assertThat(awaitFinished(client, id, "acme").state()).isEqualTo(TaskState.FAILURE);

        List<Line> mine = awaitLines(id, 7).stream().filter(line -> !"PENDING".equals(line.event())).toList();
        Line failure = mine.getLast();
        assertThat(failure.event()).isEqualTo("FAILURE");
        assertThat(failure.level()).isEqualTo(org.jboss.logmanager.Level.ERROR);
        assertThat(failure.context()).containsEntry("attempt", "3").containsEntry("error_type",
                "IllegalStateException");
        assertThat(mine).extracting(Line::event).filteredOn("STARTED"::equals).hasSize(3);
    }

    private String enqueue(String job, long failures) {
        return client.runJobAsync(job, JsonNodeFactory.instance.objectNode().put("failures", failures),
                EnqueueOptions.forTenant("acme")).await().indefinitely();
    }

    /** The lines about {@code id}, once there are {@code count}; the last one may come just after the status. */
    private List<Line> awaitLines(String id, int count) {
        awaitTrue(count + " lines about " + id, () -> linesOf(id).size() >= count);
        List<Line> mine = linesOf(id);
        assertThat(mine).as("lines about %s", id).hasSize(count);
        return mine;
    }

    private List<Line> linesOf(String id) {
        synchronized (lines) {
            return lines.stream().filter(line -> id.equals(line.context().get(TaskLog.TASK_ID))).toList();
        }
    }
}
