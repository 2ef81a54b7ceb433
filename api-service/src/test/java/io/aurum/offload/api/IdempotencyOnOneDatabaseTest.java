package io.aurum.offload.api;

import io.aurum.offload.testing.OneDatabaseRedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Idempotency keys with broker and result backend in one database, where one script claims, queues and records. */
@QuarkusTest
@WithTestResource(OneDatabaseRedisTestResource.class)
class IdempotencyOnOneDatabaseTest extends IdempotencyContract {
}
