package io.aurum.offload.e2e;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For {@code @QuarkusIntegrationTest} end-to-end tests: before Quarkus launches the packaged api (the jar, or the
 * native executable with {@code -Dnative}), starts the private {@code redis-server} of an {@link OffloadSystem} and
 * hands Quarkus the api's settings for it; the test gets the system in its {@code OffloadSystem} field and starts
 * its workers there. Use it with {@code scope = RESTRICTED_TO_CLASS}, so each test class has its own Redis and api.
 *
 * <p>Arguments: {@value #APPEND_ONLY} {@code true} keeps Redis's append-only file fsynced on every write;
 * {@value #SAME_DATABASE} {@code true} puts broker and results in database 0 (else results are in database 1).
 *
 * <p>The api lives as long as its class: its tests share it, and {@link OffloadSystem#reset()} empties Redis between
 * them. Known limitation: Quarkus writes the launched api's log to {@code target/quarkus.log}, which the next class's
 * launch replaces; the workers' logs stay in {@code target/e2e-logs}.
 */
public class OffloadSystemResource implements QuarkusTestResourceLifecycleManager {

    public static final String APPEND_ONLY = "append-only";
    public static final String SAME_DATABASE = "same-database";

    private boolean appendOnly;
    private boolean sameDatabase;
    private OffloadSystem system;

    @Override
    public void init(Map<String, String> initArgs) {
        appendOnly = Boolean.parseBoolean(initArgs.get(APPEND_ONLY));
        sameDatabase = Boolean.parseBoolean(initArgs.get(SAME_DATABASE));
    }

    @Override
    public Map<String, String> start() {
        system = OffloadSystem.start(appendOnly, sameDatabase);
        return system.apiSettings();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(system, new TestInjector.MatchesType(OffloadSystem.class));
    }

    @Override
    public void stop() {
        if (system != null) {
            system.close();
        }
    }
}
