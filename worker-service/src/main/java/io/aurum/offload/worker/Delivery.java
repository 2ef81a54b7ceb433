package io.aurum.offload.worker;

import io.vertx.mutiny.core.buffer.Buffer;

/**
 * A message taken from a queue into this worker's active list. {@code raw} is kept byte for byte: the
 * acknowledgement removes exactly these bytes from the active list.
 */
record Delivery(String queue, Buffer raw) {
}
