package latch.access;

import latch.http.ApiError;
import latch.user.Role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every scope Latch knows and which role holds which. The defaults follow the ROM manager's catalogue: viewers
 * read and write their own data, editors add content writes, admins hold everything. Operators may add scopes
 * and remap viewer and editor; admin always holds every scope, so an admin can never be locked out.
 */
public final class ScopeCatalog {
    public static final List<String> DEFAULT_SCOPES = List.of(
            "me.read", "me.write",
            "roms.read", "roms.write", "roms.user.read", "roms.user.write",
            "platforms.read", "platforms.write",
            "assets.read", "assets.write",
            "devices.read", "devices.write",
            "firmware.read", "firmware.write",
            "collections.read", "collections.write",
            "users.read", "users.write",
            "tasks.run", "logs.read",
            "tokens.read", "tokens.write",
            "sfu.read", "sfu.write",
            "audit.read",
            "keys.read", "keys.write",
            "alerts.read", "alerts.write", "metrics.read",
            "apps.read", "apps.write");

    public static final List<String> DEFAULT_VIEWER = List.of(
            "me.read", "me.write", "roms.read", "roms.user.read", "roms.user.write", "platforms.read",
            "assets.read", "assets.write", "devices.read", "devices.write", "firmware.read",
            "collections.read", "collections.write", "tokens.read", "tokens.write", "sfu.read", "sfu.write");

    public static final List<String> EDITOR_EXTRA = List.of("roms.write", "platforms.write", "firmware.write", "tasks.run");

    private final Set<String> all;
    private final Map<Role, Set<String>> byRole = new EnumMap<>(Role.class);

    public ScopeCatalog(Collection<String> extraScopes, List<String> viewer, List<String> editor) {
        var scopes = new LinkedHashSet<>(DEFAULT_SCOPES);
        scopes.addAll(extraScopes);
        this.all = sortedSet(scopes);
        byRole.put(Role.VIEWER, sortedSet(viewer));
        byRole.put(Role.EDITOR, sortedSet(editor));
        byRole.put(Role.ADMIN, all);
    }

    /** Hash lookups, and iteration in sorted order, so that listing a role's scopes needs no sorting per request. */
    private static Set<String> sortedSet(Collection<String> scopes) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(new TreeSet<>(scopes)));
    }

    /** A scope set as a sorted list, the form answers show it in; cheap for a role's own set, which is kept sorted. */
    public static List<String> sorted(Collection<String> scopes) {
        var list = new ArrayList<>(scopes);
        list.sort(null);
        return list;
    }

    /** The catalogue the operator configured (Settings has checked that the mappings name known scopes). */
    public static ScopeCatalog from(ScopeSettings settings) {
        var editorDefault = new LinkedHashSet<>(DEFAULT_VIEWER);
        editorDefault.addAll(EDITOR_EXTRA);
        return new ScopeCatalog(settings.extra(), settings.viewer().orElse(DEFAULT_VIEWER),
                settings.editor().orElse(List.copyOf(editorDefault)));
    }

    public static ScopeCatalog defaults() {
        var editor = new LinkedHashSet<>(DEFAULT_VIEWER);
        editor.addAll(EDITOR_EXTRA);
        return new ScopeCatalog(List.of(), DEFAULT_VIEWER, List.copyOf(editor));
    }

    public Set<String> all() {
        return all;
    }

    public Set<String> of(Role role) {
        return byRole.get(role);
    }

    public boolean isKnown(String scope) {
        return all.contains(scope);
    }

    /**
     * A space-separated scope request narrowed to what {@code role} holds; empty or null means all of them.
     * Asking for more than the role holds is refused with the excess named.
     */
    public Set<String> narrow(Role role, Collection<String> requested) {
        Set<String> held = of(role);
        if (requested == null || requested.isEmpty()) {
            return held;
        }
        var excess = new TreeSet<String>();
        for (String s : requested) {
            if (!held.contains(s)) {
                excess.add(s);
            }
        }
        if (!excess.isEmpty()) {
            throw new ApiError(403, "insufficient_scope", "You do not hold these scopes: " + String.join(", ", excess) + ".");
        }
        return Set.copyOf(requested);
    }

    /** Space-separated, sorted: the wire form of a scope set (RFC 6749 §3.3). */
    public static String format(Collection<String> scopes) {
        return String.join(" ", sorted(scopes));
    }

    public static Set<String> parse(String value) {
        var out = new LinkedHashSet<String>();
        if (value != null) {
            for (String s : value.trim().split("[\\s,]+")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
