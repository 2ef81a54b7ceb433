package io.aurum.offload.client;

import java.util.List;

import io.smallrye.mutiny.Uni;

/** What operators may do with the dead letters of a queue. Not for tenants: it crosses tenant lines. */
public interface DeadLetterAdmin {

    /** The newest dead letters of {@code queue}, at most {@code limit}. */
    Uni<List<DeadLetter>> list(String queue, int limit);

    /** How many dead letters {@code queue} holds. */
    Uni<Long> count(String queue);

    /**
     * Puts a dead task back on its queue as PENDING, with its failure count reset, to be run again as queued.
     *
     * @return false when there is no such dead letter, or it holds unreadable data that cannot run
     */
    Uni<Boolean> requeue(String queue, String taskId);

    /** Forgets a dead letter; the task's record is left to expire. Returns false when there was none. */
    Uni<Boolean> delete(String queue, String taskId);
}
