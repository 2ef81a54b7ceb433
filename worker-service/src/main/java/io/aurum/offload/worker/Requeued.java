package io.aurum.offload.worker;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.task.TaskLog;
import io.aurum.offload.task.TaskMessage;
import io.vertx.mutiny.core.buffer.Buffer;

/** The log line of a message put back on its queue for another worker: by a sweep, an orphan reclaim, a shutdown. */
final class Requeued {

    private static final Logger LOG = Logger.getLogger(Requeued.class);

    /** After the sweep found its worker's lease run out. */
    static final String WORKER_LOST = "worker-lost";
    /** Stranded in this worker's active list with no processor holding it. */
    static final String ORPHANED = "orphaned";
    /** Still held by this worker when it stopped. */
    static final String SHUTDOWN = "shutdown";

    private Requeued() {
    }

    /**
     * Logs one message put back on {@code queue}. The task's record keeps the state of its last attempt (STARTED)
     * until a worker takes it again, so this is not a state change of the record, but it is of the task's life.
     */
    static void log(ObjectMapper mapper, String queue, Buffer raw, String reason) {
        TaskMessage message = TaskMessages.read(mapper, raw);
        TaskLog line = message == null ? TaskLog.of("requeued", "unreadable", null, queue)
                : TaskLog.of("requeued", message);
        line.field("reason", reason).info(LOG);
    }
}
