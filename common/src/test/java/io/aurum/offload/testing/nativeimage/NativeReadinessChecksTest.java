package io.aurum.offload.testing.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The checks of {@link NativeReadinessContract}, on fixture classes whose answers are known. */
class NativeReadinessChecksTest {

    private static final String FIXTURES = "io/aurum/offload/testing/nativeimage/fixtures/";
    private static final ClassFiles CLASSES = ClassFiles.inFolder(Path.of("target", "test-classes"), FIXTURES);

    @Test
    void findsJsonTypesByAnnotationByClassLiteralHandedToJacksonAndByBeingHeld() {
        assertThat(JacksonTypes.of(CLASSES)).containsExactly(FIXTURES + "AnnotatedReply", FIXTURES + "Mood",
                FIXTURES + "PlainMessage");
    }

    @Test
    void flagsStaticInitialisersThatSeedRandomnessOrReadTheClockThroughOurOwnCalls() {
        List<String> violations = StaticInitialisers.violations(CLASSES);

        assertThat(violations).hasSize(2);
        assertThat(violations).anySatisfy(v -> assertThat(v).startsWith("io.aurum.offload.testing.nativeimage."
                + "fixtures.SeededAtInit.<clinit> calls java.security.SecureRandom.<init>: seeds randomness"));
        assertThat(violations).anySatisfy(v -> assertThat(v).startsWith("io.aurum.offload.testing.nativeimage."
                + "fixtures.ClockThroughHelper.<clinit> -> io.aurum.offload.testing.nativeimage.fixtures."
                + "ClockThroughHelper.startedAt calls java.lang.System.currentTimeMillis: reads the clock"));
    }
}
