package io.aurum.offload.worker;

import io.aurum.offload.testing.nativeimage.NativeReadinessContract;

/** The worker's native sources: reflection registrations for its JSON, no static initialiser with threads or seeds. */
class NativeReadinessIT extends NativeReadinessContract {
}
