package latch.access;

import latch.user.User;

import java.time.Instant;
import java.util.Set;

/**
 * The authenticated caller of a request: the user, the scopes this credential grants now (never more than the
 * user's role holds), and the session (null for client tokens) and token it was proven with.
 */
public record Principal(User user, Set<String> scopes, Credential credential, String sessionId, String tokenId,
                        Instant tokenExpiresAt) {

    /** How the caller proved who they are. */
    public enum Credential { SESSION, ACCESS_TOKEN, CLIENT_TOKEN }

    public Principal {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
