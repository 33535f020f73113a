package latch.oidc;

import java.time.Instant;
import java.util.Optional;

/** Sign-ins under way. SQLite today; the same calls on PostgreSQL later. */
public interface SignInAttemptStore {
    void add(SignInAttempt attempt);

    /** Removes and returns the attempt in one statement, so of two callbacks with one state exactly one gets it. */
    Optional<SignInAttempt> take(String stateDigest);

    int purgeExpired(Instant now, int max);
}
