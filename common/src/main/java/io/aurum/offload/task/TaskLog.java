package io.aurum.offload.task;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;

/**
 * The log line of one event in a task's life, in the same shape in both services:
 *
 * <pre>task EVENT id=ID job=JOB queue=QUEUE [attempt=N] [wait_ms=N] [duration_ms=N] [key=value ...][: detail]</pre>
 *
 * EVENT is the state the task entered ({@code PENDING}, {@code STARTED}, {@code RETRY}, {@code SUCCESS},
 * {@code FAILURE}, {@code REVOKED}) or, in lower case, what happened to it without a state change ({@code requeued},
 * {@code dropped}, {@code interrupted}...). The line's record also carries its fields in its copy of the logging
 * context (MDC), beside what the context held already (such as Quarkus' {@code traceId}), under {@value #EVENT},
 * {@value #TASK_ID}, {@code job}, {@code queue} and the keys above: JSON logs show them as fields that a log pipeline
 * can filter on. The thread's own context is left as it was.
 *
 * <p>Known limitation: the logging context holds text, so JSON logs show numbers such as {@code attempt} and
 * {@code duration_ms} as strings; a pipeline that sums them converts them first.
 */
public final class TaskLog {

    /** MDC key of the event. */
    public static final String EVENT = "task_event";
    /** MDC key of the task id. */
    public static final String TASK_ID = "task_id";

    private final String event;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private String detail;

    private TaskLog(String event, String taskId, String job, String queue) {
        this.event = event;
        field(TASK_ID, taskId).field("job", job).field("queue", queue);
    }

    /** A line about the task {@code taskId} of {@code job} on {@code queue}. */
    public static TaskLog of(String event, String taskId, String job, String queue) {
        return new TaskLog(event, taskId, job, queue);
    }

    /** A line about the task of {@code message}. */
    public static TaskLog of(String event, TaskMessage message) {
        return new TaskLog(event, message.id(), message.job(), message.queue());
    }

    /** Which start of the task this is about, from 1. */
    public TaskLog attempt(long attempt) {
        return field("attempt", attempt);
    }

    /** How long the task waited before it started, from its enqueue. */
    public TaskLog waitMs(long ms) {
        return field("wait_ms", Math.max(0, ms));
    }

    /** How long the attempt ran. */
    public TaskLog durationMs(long ms) {
        return field("duration_ms", Math.max(0, ms));
    }

    /** Another field, such as {@code reason} or {@code error_type}; skipped when {@code value} is null. */
    public TaskLog field(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    /** Free text after the fields, such as an error's message; in the line only, never in the context. */
    public TaskLog detail(String text) {
        this.detail = text;
        return this;
    }

    public void info(Logger log) {
        write(log, Level.INFO);
    }

    public void warn(Logger log) {
        write(log, Level.WARN);
    }

    public void error(Logger log) {
        write(log, Level.ERROR);
    }

    /** The line without the context, as it appears in the human format. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder("task ").append(event);
        fields.forEach((key, value) -> appendEscaped(
                line.append(' ').append(TASK_ID.equals(key) ? "id" : key).append('='), String.valueOf(value)));
        if (detail != null) {
            appendEscaped(line.append(": "), detail);
        }
        return line.toString();
    }

    /**
     * Appends {@code text} with its line breaks, backslashes and other control characters escaped as in a Java
     * string literal, so that text from a job or a caller, such as an error message, stays inside its
     * line and cannot forge another one. The context (MDC) keeps the text as it was: JSON output escapes it there.
     */
    static void appendEscaped(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                case '\\' -> line.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
    }

    /**
     * Writes the line as a record of its own that carries the fields in its copy of the logging context, rather than
     * putting them into the context and taking them out again: on a Vert.x event loop outside a request (a Redis
     * reply, a scheduled enqueue) Quarkus' context map is not kept from one call to the next, so fields put there
     * would not reach the record.
     */
    private void write(Logger log, java.util.logging.Level level) {
        org.jboss.logmanager.Logger target = org.jboss.logmanager.Logger.getLogger(log.getName());
        if (!target.isLoggable(level)) {
            return;
        }
        ExtLogRecord record = new ExtLogRecord(level, toString(), ExtLogRecord.FormatStyle.NO_FORMAT,
                TaskLog.class.getName());
        record.copyMdc();
        record.putMdc(EVENT, event);
        fields.forEach((key, value) -> record.putMdc(key, String.valueOf(value)));
        target.logRaw(record);
    }
}
