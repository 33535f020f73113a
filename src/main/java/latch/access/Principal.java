package latch.access;

import latch.user.Role;
import latch.user.User;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who is acting: the caller of a request (the user, the scopes this credential grants now, never more than the
 * user's role holds, and the session and token it was proven with), or the system itself (the admin command
 * line), which has no user and may do what an admin may.
 */
public record Principal(User user, Set<String> scopes, Credential credential, String sessionId, String tokenId,
                        Instant tokenExpiresAt, String systemName) {

    /** How the caller proved who they are. */
    public enum Credential { SESSION, ACCESS_TOKEN, CLIENT_TOKEN, SYSTEM }

    /** {@code scopes} is an unmodifiable set (a role's from the catalog, or a token's), kept as it is, not copied. */
    public Principal {
        Objects.requireNonNull(scopes, "scopes");
        if ((user == null) != (credential == Credential.SYSTEM)) {
            throw new IllegalArgumentException("only the system acts without a user");
        }
    }

    public Principal(User user, Set<String> scopes, Credential credential, String sessionId, String tokenId, Instant tokenExpiresAt) {
        this(user, scopes, credential, sessionId, tokenId, tokenExpiresAt, null);
    }

    /** Latch acting on an operator's behalf from outside the web (e.g. "command line"), with every scope. */
    public static Principal system(String name, Set<String> allScopes) {
        return new Principal(null, allScopes, Credential.SYSTEM, null, null, null, name);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    public boolean isSystem() {
        return credential == Credential.SYSTEM;
    }

    /** An admin, or the system. */
    public boolean isAdmin() {
        return isSystem() || user.role() == Role.ADMIN;
    }

    /** The acting user's id; the system has none. */
    public boolean isUser(long userId) {
        return user != null && user.id() == userId;
    }

    /**
     * Only an admin acts on an admin's account, sessions or tokens, whatever scopes an operator hands to other
     * roles: users.read and users.write on an editor must not reach the people who run the instance.
     */
    public boolean mayManage(User subject) {
        return subject.role() != Role.ADMIN || isAdmin();
    }
}
