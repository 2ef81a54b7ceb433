package io.aurum.offload.e2e;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Round trips with broker and result backend in separate databases (the default layout). */
@QuarkusIntegrationTest
@WithTestResource(value = OffloadSystemResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RoundTripsIT extends RoundTripsContract {
}
