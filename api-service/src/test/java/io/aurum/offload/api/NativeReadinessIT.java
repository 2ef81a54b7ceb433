package io.aurum.offload.api;

import io.aurum.offload.testing.nativeimage.NativeReadinessContract;

/** The api's native sources: reflection registrations for its JSON, no static initialiser with threads or seeds. */
class NativeReadinessIT extends NativeReadinessContract {
}
