package latch.oidc;

import latch.user.Role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The role a provider's claim gives: the claim (a dotted path such as Keycloak's {@code realm_access.roles}) may be
 * a JSON list or a string of values separated by commas or spaces; the highest role any value names wins. With no
 * viewer values configured, someone the claim gives no role is a viewer; with them, such a person has no role here.
 */
final class RoleClaim {
    private final String path;
    private final List<String> admin;
    private final List<String> editor;
    private final List<String> viewer;

    RoleClaim(String path, List<String> admin, List<String> editor, List<String> viewer) {
        this.path = path;
        this.admin = admin;
        this.editor = editor;
        this.viewer = viewer;
    }

    /** The role the claims give, or empty when they give none and viewers are listed. */
    Optional<Role> roleFrom(Map<String, Object> claims) {
        List<String> values = values(find(claims, path));
        if (values.stream().anyMatch(admin::contains)) {
            return Optional.of(Role.ADMIN);
        }
        if (values.stream().anyMatch(editor::contains)) {
            return Optional.of(Role.EDITOR);
        }
        if (viewer.isEmpty() || values.stream().anyMatch(viewer::contains)) {
            return Optional.of(Role.VIEWER);
        }
        return Optional.empty();
    }

    static Object find(Map<String, Object> claims, String path) {
        if (claims.containsKey(path)) {
            return claims.get(path); // a claim whose own name has a dot, e.g. a URL-named claim
        }
        Object at = claims;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at;
    }

    static List<String> values(Object claim) {
        var out = new ArrayList<String>();
        if (claim instanceof Collection<?> list) {
            for (Object o : list) {
                if (o instanceof String s && !s.isBlank()) {
                    out.add(s.strip());
                }
            }
        } else if (claim instanceof String s) {
            for (String part : s.split("[\\s,]+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }
}
