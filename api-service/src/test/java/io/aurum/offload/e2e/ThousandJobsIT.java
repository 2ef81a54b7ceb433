package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The main path with broker and result backend in separate databases (the default layout); unknown task ids. */
@QuarkusIntegrationTest
@WithTestResource(value = OffloadSystemResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ThousandJobsIT extends ThousandJobsContract {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void unknownAndForeignTaskIdsAnswer404AndNeverPending() {
        ApiClient api = new ApiClient(apiUri);
        Submitted own = api.submit("heavy_compute", "tenant-a", payload(1));

        TaskView unknown = api.status(apiUri.resolve("/v1/tasks/AAAAAAAAAAAAAAAAAAAAAAAA"), "tenant-a");
        TaskView foreign = api.status(own.location(), "tenant-b");
        TaskView mine = api.status(own);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.state()).isNull();
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(withoutInstance(foreign.body())).isEqualTo(withoutInstance(unknown.body()));
        assertThat(mine.status()).isEqualTo(202);
        assertThat(mine.state()).isEqualTo("PENDING");
    }

    /** A problem body without its {@code instance}, the one member that names the path asked. */
    private static JsonNode withoutInstance(JsonNode problem) {
        return problem.deepCopy() instanceof ObjectNode copy ? copy.without("instance") : problem;
    }
}
