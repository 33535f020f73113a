package latch.forwardauth;

import latch.access.PerIdentity;
import latch.access.ScopeCatalog;
import latch.user.User;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Remote-*} headers an allowed request hands to the app, built once per identity: the proxy asks about
 * every request of a page, and the answer only changes when the user or their scopes do.
 */
final class IdentityHeaders {
    private final PerIdentity<Map<String, String>> headers;

    IdentityHeaders(java.time.Clock clock) {
        this.headers = new PerIdentity<>(4096, clock);
    }

    /** {@code user} is null for an anonymous visitor let through by kiosk mode or a bypass rule. */
    Map<String, String> of(User user, Set<String> scopes) {
        return headers.get(user, scopes, IdentityHeaders::build);
    }

    /**
     * Every Remote-* header is always present, empty when there is no identity: some proxies (Caddy 2.10 before
     * its fix for GHSA-7r4p-vjf4-gxv4) keep a client's own Remote-User when the answer lacks one. nginx drops
     * empty values, Traefik and Caddy overwrite with them.
     */
    private static Map<String, String> build(User user, Set<String> scopes) {
        var headers = new LinkedHashMap<String, String>();
        String username = user == null ? "" : user.username();
        boolean named = user != null && user.displayName() != null && !user.displayName().isBlank();
        headers.put("Remote-User", oneLine(username));
        headers.put("Remote-Groups", user == null ? "" : user.role().wireName());
        headers.put("Remote-Name", oneLine(named ? user.displayName() : username));
        headers.put("Remote-Email", user == null || user.email() == null ? "" : oneLine(user.email()));
        headers.put("Remote-Scopes", ScopeCatalog.format(scopes));
        return Collections.unmodifiableMap(headers);
    }

    /** A header carries one line: control characters in a profile field must not split it. */
    private static String oneLine(String v) {
        return v.replaceAll("[\\x00-\\x1f\\x7f]", " ").strip();
    }
}
