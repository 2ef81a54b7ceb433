package io.aurum.offload.api;

import java.util.List;

import io.aurum.offload.client.DeadLetter;
import io.aurum.offload.client.DeadLetterAdmin;
import io.smallrye.mutiny.Uni;

/** The dead letters of the stub backend: there are none, since the stub never gives up on a task. */
final class NoDeadLetters implements DeadLetterAdmin {

    static final NoDeadLetters INSTANCE = new NoDeadLetters();

    private NoDeadLetters() {
    }

    @Override
    public Uni<List<DeadLetter>> list(String queue, int limit) {
        return Uni.createFrom().item(List.of());
    }

    @Override
    public Uni<Long> count(String queue) {
        return Uni.createFrom().item(0L);
    }

    @Override
    public Uni<Boolean> requeue(String queue, String taskId) {
        return Uni.createFrom().item(false);
    }

    @Override
    public Uni<Boolean> delete(String queue, String taskId) {
        return Uni.createFrom().item(false);
    }
}
