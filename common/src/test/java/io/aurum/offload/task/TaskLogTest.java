package io.aurum.offload.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The human line of a task event: its shape, and text from jobs or callers kept inside that one line. */
class TaskLogTest {

    @Test
    void writesTheEventThenTheFieldsThenTheDetail() {
        String line = TaskLog.of("FAILURE", "AAAA", "fail", "default").attempt(2).durationMs(15)
                .field("error_type", "java.lang.IllegalStateException").detail("disk full").toString();

        assertThat(line).isEqualTo("task FAILURE id=AAAA job=fail queue=default attempt=2 duration_ms=15 "
                + "error_type=java.lang.IllegalStateException: disk full");
    }

    @Test
    void keepsADetailWithLineBreaksOnOneLineSoItCannotForgeAnother() {
        String forged = "disk full\n2026-12-04 10:00:00,000 INFO  [i.a.o.w.Processor] task SUCCESS id=BBBB\r\n";

        String line = TaskLog.of("FAILURE", "AAAA", "fail", "default").detail(forged).toString();

        assertThat(line).doesNotContain("\n", "\r")
                .endsWith(": disk full\\n2026-12-04 10:00:00,000 INFO  [i.a.o.w.Processor] task SUCCESS id=BBBB\\r\\n");
    }

    @Test
    void escapesControlCharactersAndBackslashesInFieldValues() {
        String line = TaskLog.of("PENDING", "AAAA", "noop", "default").field("schedule", "a\tb\u001b[31mc\\n")
                .toString();

        assertThat(line).endsWith("schedule=a\\tb\\u001b[31mc\\\\n");
        assertThat(line.chars().noneMatch(Character::isISOControl)).isTrue();
    }
}
