package latch.forwardauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import latch.access.ScopeCatalog;
import latch.user.Role;
import latch.user.User;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Remote-*} headers an allowed request hands to the app, built once per identity: the proxy asks about
 * every request of a page, and the answer only changes when the user or their scopes do. The key is every field
 * the headers are made of, so an edit to the user or a narrower token simply misses the cache; nothing has to be
 * told to forget. Per node and rebuilt from the user cache, so it needs no shared backend.
 */
final class IdentityHeaders {
    private record Identity(long userId, String username, Role role, String displayName, String email, Set<String> scopes) {}

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
        boolean named = id.displayName() != null && !id.displayName().isBlank();
        headers.put("Remote-User", oneLine(id.username()));
        headers.put("Remote-Groups", id.role() == null ? "" : id.role().wireName());
        headers.put("Remote-Name", oneLine(named ? id.displayName() : id.username()));
        headers.put("Remote-Email", id.email() == null ? "" : oneLine(id.email()));
        headers.put("Remote-Scopes", ScopeCatalog.format(id.scopes()));
        return Collections.unmodifiableMap(headers);
    }

    /** A header carries one line: control characters in a profile field must not split it. */
    private static String oneLine(String v) {
        return v.replaceAll("[\\x00-\\x1f\\x7f]", " ").strip();
    }
}
