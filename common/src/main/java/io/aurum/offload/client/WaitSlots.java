package io.aurum.offload.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many status reads wait for their task at once in one process
 * ({@code aurum.api.offload.api.max-waiting}): a read that finds no free slot answers at once instead. When the
 * process stops, {@link #end()} closes the slots: waiting reads are told to answer now and later ones answer at once.
 */
public final class WaitSlots {

    private final int capacity;
    private final AtomicInteger taken = new AtomicInteger();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    public WaitSlots(int capacity) {
        this.capacity = capacity;
    }

    /** Takes a slot if one is free; a caller that got one must {@link #release()} it exactly once. */
    public boolean tryTake() {
        if (ended.isDone()) {
            return false;
        }
        int now = taken.get();
        while (now < capacity) {
            if (taken.compareAndSet(now, now + 1)) {
                return true;
            }
            now = taken.get();
        }
        return false;
    }

    public void release() {
        taken.decrementAndGet();
    }

    /** Closes the slots for good: no read waits any more, and {@link #ended()} completes. */
    public void end() {
        ended.complete(null);
    }

    /** Completes when the slots are closed; a waiting read stops waiting then. Callers get a copy each. */
    public CompletableFuture<Void> ended() {
        return ended.copy();
    }

    public boolean isEnded() {
        return ended.isDone();
    }

    /** Slots in use, for tests and diagnostics. */
    public int taken() {
        return taken.get();
    }
}
