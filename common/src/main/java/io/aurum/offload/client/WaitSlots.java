package io.aurum.offload.client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many status reads wait for their task at once in one process
 * ({@code aurum.api.offload.api.max-waiting}): a read that finds no free slot answers at once instead.
 */
public final class WaitSlots {

    private final int capacity;
    private final AtomicInteger taken = new AtomicInteger();

    public WaitSlots(int capacity) {
        this.capacity = capacity;
    }

    /** Takes a slot if one is free; a caller that got one must {@link #release()} it exactly once. */
    public boolean tryTake() {
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

    /** Slots in use, for tests and diagnostics. */
    public int taken() {
        return taken.get();
    }
}
