package latch.health;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What must hold before Latch should receive traffic, each check named by what an operator fixes when it fails.
 * Checks run in order on every call; one that throws counts as failed.
 */
public final class Readiness {
    /** {@code problem}: what the 503 says when {@code ok} is false, never a secret or a path's contents. */
    public record Check(String name, String problem, BooleanSupplier ok) {}

    private final List<Check> checks;

    public Readiness(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    /** The failed checks; empty when ready. */
    public List<Check> failing() {
        var failed = new ArrayList<Check>();
        for (Check check : checks) {
            boolean ok;
            try {
                ok = check.ok().getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                failed.add(check);
            }
        }
        return failed;
    }
}
