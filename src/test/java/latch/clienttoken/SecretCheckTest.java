package latch.clienttoken;

import latch.token.RandomSecrets;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretCheckTest {
    private static final String ID = "abcdefghijkl";

    private static ClientToken record(String secret) {
        return new ClientToken(ID, 1, "script", Set.of("roms.read"), RandomSecrets.sha256(secret), List.of(), null,
                Instant.EPOCH, null, null, null);
    }

    @Test
    void onlyTheSecretWhoseHashIsStoredMatchesAndRemainsTheOnlyOneOnceRemembered() {
        String secret = ClientTokenSecret.mint(ID);
        String other = ClientTokenSecret.mint(ID);
        var token = record(secret);
        var check = new SecretCheck();
        assertFalse(check.matches(token, other), "a wrong secret with the right id");
        assertTrue(check.matches(token, secret));
        assertTrue(check.matches(token, secret), "again, now from memory");
        assertFalse(check.matches(token, other), "a remembered match does not let another secret through");
        assertFalse(check.matches(token, secret.substring(0, secret.length() - 1) + "x"), "nor a near miss");
    }

    @Test
    void aRegeneratedTokenNoLongerAcceptsTheRememberedSecret() {
        String old = ClientTokenSecret.mint(ID);
        String fresh = ClientTokenSecret.mint(ID);
        var check = new SecretCheck();
        assertTrue(check.matches(record(old), old));
        var regenerated = record(fresh);
        assertFalse(check.matches(regenerated, old), "the record changed: the old secret is hashed again and fails");
        assertTrue(check.matches(regenerated, fresh));
    }
}
