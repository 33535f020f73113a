package latch.forwardauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import latch.access.ScopeCatalog;
import latch.user.Role;
import latch.user.User;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code Remote-*} headers an allowed request hands to the app, built once per identity: the proxy asks about
 * every request of a page, and the answer only changes when the user or their scopes do. The key is every field
 * the headers are made of, so an edit to the user or a narrower token simply misses the cache; nothing has to be
 * told to forget. Per node and rebuilt from the user cache, so it needs no shared backend.
 */
final class IdentityHeaders {
    /**
     * The key, with equals and hashCode written out: a record's generated ones go through method handles that the
     * C1 compiler Latch is recommended to run with does not inline, and this lookup runs on every proxied request.
     */
    private static final class Identity {
        private final long userId;
        private final String username;
        private final Role role;
        private final String displayName;
        private final String email;
        private final Set<String> scopes;
        private final int hash;

        Identity(long userId, String username, Role role, String displayName, String email, Set<String> scopes) {
            this.userId = userId;
            this.username = username;
            this.role = role;
            this.displayName = displayName;
            this.email = email;
            this.scopes = scopes;
            this.hash = Objects.hash(userId, username, role, displayName, email, scopes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity && equalTo((Identity) o);
        }

        private boolean equalTo(Identity i) {
            return hash == i.hash && userId == i.userId && role == i.role && Objects.equals(username, i.username)
                    && Objects.equals(displayName, i.displayName) && Objects.equals(email, i.email) && scopes.equals(i.scopes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Cache<Identity, Map<String, String>> cache = Caffeine.newBuilder().maximumSize(4096).build();

    /** {@code user} is null for an anonymous visitor let through by kiosk mode or a bypass rule. */
    Map<String, String> of(User user, Set<String> scopes) {
        Identity id = user == null
                ? new Identity(0, "", null, "", "", scopes)
                : new Identity(user.id(), user.username(), user.role(), user.displayName(), user.email(), scopes);
        return cache.get(id, IdentityHeaders::build);
    }

    /**
     * Every Remote-* header is always present, empty when there is no identity: some proxies (Caddy 2.10 before
     * its fix for GHSA-7r4p-vjf4-gxv4) keep a client's own Remote-User when the answer lacks one. nginx drops
     * empty values, Traefik and Caddy overwrite with them.
     */
    private static Map<String, String> build(Identity id) {
        var headers = new LinkedHashMap<String, String>();
        boolean named = id.displayName != null && !id.displayName.isBlank();
        headers.put("Remote-User", oneLine(id.username));
        headers.put("Remote-Groups", id.role == null ? "" : id.role.wireName());
        headers.put("Remote-Name", oneLine(named ? id.displayName : id.username));
        headers.put("Remote-Email", id.email == null ? "" : oneLine(id.email));
        headers.put("Remote-Scopes", ScopeCatalog.format(id.scopes));
        return Collections.unmodifiableMap(headers);
    }

    /** A header carries one line: control characters in a profile field must not split it. */
    private static String oneLine(String v) {
        return v.replaceAll("[\\x00-\\x1f\\x7f]", " ").strip();
    }
}
