package latch.apps;

import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.http.ClientInfo;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The app launcher: the apps an admin lists for the household's home page, and which of them each person sees (those
 * whose required scope they hold). An app's address is only ever an absolute http(s) URL, and its icon a built-in
 * symbol or an image stored here, so the launcher never makes a browser run a script or fetch another site.
 */
public final class AppsService {
    public static final int MAX_APPS = 100;
    static final int MAX_NAME_LENGTH = 80;
    static final int MAX_URL_LENGTH = 2048;
    /** The icons drawn by the pages themselves (web/assets/app-symbols.js); "link" when none is chosen. */
    public static final Set<String> SYMBOLS = Set.of("film", "music", "photo", "game", "book", "home", "chart", "files",
            "chat", "link");
    static final String DEFAULT_SYMBOL = "link";
    /** The scope that lets a caller see every app, and so every app's icon, as the admin page does. */
    static final String READ_ALL = "apps.read";

    /** What an admin asks to set; a null field is left as it is (on add: its default). "" as the scope: none. */
    public record Draft(String name, String url, String icon, String requiredScope, Long position) {}

    private final AppStore store;
    private final UnitOfWork db;
    private final ScopeCatalog scopes;
    private final AuditService audit;
    private final Clock clock;

    public AppsService(AppStore store, UnitOfWork db, ScopeCatalog scopes, AuditService audit, Clock clock) {
        this.store = store;
        this.db = db;
        this.scopes = scopes;
        this.audit = audit;
        this.clock = clock;
    }

    /** Every app, in the launcher's order. */
    public List<AppEntry> all() {
        return store.all();
    }

    /** The apps {@code viewer} may open: those needing no scope, and those whose scope this credential carries. */
    public List<AppEntry> visibleTo(Principal viewer) {
        return store.all().stream().filter(a -> mayOpen(viewer, a.requiredScope())).toList();
    }

    /** The uploaded icon of an app {@code viewer} sees; the same 404 for no app, no image and an app hidden from them. */
    public IconImage icon(Principal viewer, long id) {
        return store.image(id).filter(i -> viewer.has(READ_ALL) || mayOpen(viewer, i.requiredScope()))
                .map(AppStore.StoredIcon::image).orElseThrow(() -> notFound("There is no icon for that app."));
    }

    public AppEntry add(Principal actor, ClientInfo client, Draft d) {
        if (d.position() != null) {
            throw ApiError.badRequest("invalid_request", "A new app goes at the end; move it with PATCH and 'position'.");
        }
        Instant now = clock.instant();
        var draft = new AppEntry(0, name(required(d.name(), "name")), url(required(d.url(), "url")),
                d.icon() == null ? DEFAULT_SYMBOL : symbol(d.icon()), null, null, scope(d.requiredScope()), 0, now, now);
        AppEntry added = db.inTransaction(tx -> {
            Optional<AppEntry> stored = store.add(tx, draft, MAX_APPS);
            stored.ifPresent(a -> tx.afterCommit(() ->
                    audit.record(AuditType.APP_CREATED, Outcome.SUCCESS, actor, null, client, describe(a))));
            return stored.orElse(null);
        });
        if (added == null) {
            throw ApiError.conflict("too_many_apps", "The launcher holds at most " + MAX_APPS + " apps; remove one first.");
        }
        return added;
    }

    public AppEntry update(Principal actor, ClientInfo client, long id, Draft d) {
        String scope = d.requiredScope() == null ? null : scope(d.requiredScope());
        var edit = new AppStore.Edit(d.name() == null ? null : name(d.name()), d.url() == null ? null : url(d.url()),
                d.icon() == null ? null : symbol(d.icon()), d.requiredScope() != null, scope);
        Long place = d.position();
        if (place != null && place < 1) {
            throw ApiError.badRequest("invalid_position", "'position' is the app's place in the launcher: 1 for the first.");
        }
        if (edit.isEmpty() && place == null) {
            throw ApiError.badRequest("invalid_request", "Give at least one of 'name', 'url', 'icon', 'required_scope',"
                    + " 'position'.");
        }
        return db.inTransaction(tx -> {
            // Read only to say in the audit log what it was called; the writes below decide on their own.
            Optional<String> before = store.find(tx, id).map(AppEntry::name);
            Instant now = clock.instant();
            if (before.isEmpty() || (!edit.isEmpty() && !store.update(tx, id, edit, now))
                    || (place != null && !store.move(tx, id, place, now))) {
                throw notFound("There is no app with that id.");
            }
            AppEntry after = store.find(tx, id).orElseThrow(() -> notFound("There is no app with that id."));
            tx.afterCommit(() -> audit.record(AuditType.APP_UPDATED, Outcome.SUCCESS, actor, null, client,
                    quoted(after.name()) + ": " + changes(before.get(), edit, place, after)));
            return after;
        });
    }

    public AppEntry setIcon(Principal actor, ClientInfo client, long id, byte[] body) {
        IconImage image = IconImage.of(body);
        return db.inTransaction(tx -> {
            if (!store.setImage(tx, id, image, clock.instant())) {
                throw notFound("There is no app with that id.");
            }
            AppEntry after = store.find(tx, id).orElseThrow(() -> notFound("There is no app with that id."));
            tx.afterCommit(() -> audit.record(AuditType.APP_UPDATED, Outcome.SUCCESS, actor, null, client,
                    quoted(after.name()) + ": icon uploaded (" + image.type() + ", " + image.bytes().length + " bytes)"));
            return after;
        });
    }

    public void remove(Principal actor, ClientInfo client, long id) {
        db.run(tx -> {
            String name = store.delete(tx, id).orElseThrow(() -> notFound("There is no app with that id."));
            tx.afterCommit(() -> audit.record(AuditType.APP_DELETED, Outcome.SUCCESS, actor, null, client, quoted(name)));
        });
    }

    private static boolean mayOpen(Principal viewer, String requiredScope) {
        return requiredScope == null || viewer.has(requiredScope);
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw ApiError.badRequest("invalid_request", "The field '" + field + "' is required.");
        }
        return value;
    }

    private static String name(String name) {
        String n = name.strip();
        if (n.isEmpty() || n.codePointCount(0, n.length()) > MAX_NAME_LENGTH
                || n.codePoints().anyMatch(ch -> Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT)) {
            throw ApiError.badRequest("invalid_name", "An app's name is 1 to " + MAX_NAME_LENGTH
                    + " characters, without control or invisible formatting characters.");
        }
        return n;
    }

    /**
     * An absolute http(s) URL with a host, no user name or password (a link that signs someone in as whoever wrote it,
     * or hides its real host after an "@"), no spaces or control characters. Everything else, javascript: and data:
     * included, is refused: the home page turns this into a link people click.
     */
    static String url(String value) {
        String url = value.strip();
        var refused = ApiError.badRequest("invalid_url", "An app's address must be an absolute http:// or https:// URL"
                + " with a host and no user name or password, at most " + MAX_URL_LENGTH + " characters.");
        if (url.isEmpty() || url.length() > MAX_URL_LENGTH || url.chars().anyMatch(ch -> ch <= 0x20 || ch == 0x7f)) {
            throw refused;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque() || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
                throw refused;
            }
        } catch (URISyntaxException e) {
            throw refused;
        }
        return url;
    }

    private static String symbol(String icon) {
        if (!SYMBOLS.contains(icon)) {
            throw ApiError.badRequest("invalid_icon", "'icon' is one of the built-in symbols: "
                    + String.join(", ", ScopeCatalog.sorted(SYMBOLS)) + ". Upload an image with PUT /api/admin/apps/{id}/icon.");
        }
        return icon;
    }

    /** The scope an app needs, null for none ("" clears it); only scopes the catalogue knows, which roles can hold. */
    private String scope(String scope) {
        if (scope == null || scope.isEmpty()) {
            return null;
        }
        if (!scopes.isKnown(scope)) {
            throw ApiError.badRequest("unknown_scope", "'required_scope' must be a scope this Latch knows, such as"
                    + " roms.read; '" + scope.substring(0, Math.min(scope.length(), 64)) + "' is not one.");
        }
        return scope;
    }

    private static ApiError notFound(String message) {
        return new ApiError(404, "app_not_found", message);
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }

    private static String describe(AppEntry a) {
        return quoted(a.name()) + " at " + a.url() + (a.requiredScope() == null ? ", for everyone signed in"
                : ", for holders of " + a.requiredScope());
    }

    private static String changes(String nameBefore, AppStore.Edit edit, Long place, AppEntry after) {
        var changed = new ArrayList<String>();
        if (!nameBefore.equals(after.name())) {
            changed.add("renamed from " + quoted(nameBefore));
        }
        if (edit.url() != null) {
            changed.add("address " + after.url());
        }
        if (edit.symbol() != null) {
            changed.add("icon " + after.symbol());
        }
        if (edit.setsScope()) {
            changed.add(after.requiredScope() == null ? "for everyone signed in" : "for holders of " + after.requiredScope());
        }
        if (place != null) {
            changed.add("moved to place " + after.position());
        }
        return changed.isEmpty() ? "saved unchanged" : String.join(", ", changed);
    }
}
