package latch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WarmupTest {
    @Test
    void theWarmupRunGoesThroughSetupSignInAndTheApiAndCleansUp() {
        assertEquals(0, Warmup.run(), "mvn package records the class-data archive from this run; it must not fail");
    }
}
