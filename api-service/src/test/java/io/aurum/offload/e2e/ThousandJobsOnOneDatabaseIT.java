package io.aurum.offload.e2e;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The main path with broker and result backend in one database, where one script queues and records. */
@QuarkusIntegrationTest
@WithTestResource(value = OffloadSystemResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = OffloadSystemResource.SAME_DATABASE, value = "true"))
class ThousandJobsOnOneDatabaseIT extends ThousandJobsContract {
}
