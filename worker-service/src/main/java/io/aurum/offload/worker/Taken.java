package io.aurum.offload.worker;

/**
 * A delivery a processor holds, with the start of its attempt when the script that took it recorded that too;
 * {@code start} is null when the processor must record the start itself.
 */
record Taken(Delivery delivery, TaskRecorder.Start start) {
}
