package latch.federation;

import latch.access.Principal;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.http.ClientInfo;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The issuer registry: which other instances' tokens this one accepts, and the rules for changing it. Every process
 * keeps the registry in memory and reloads it when the change feed says it changed, so a token from an issuer that
 * is not (or no longer) trusted is refused from memory, without a request anywhere.
 */
public final class IssuerService {
    static final int MAX_ISSUER_LENGTH = 512;
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_NOTE_LENGTH = 500;
    /** The ROM manager's own issuer, which only its shared secret vouches for (SFU_ACCEPT_LEGACY_HS256). */
    private static final String LEGACY_ISSUER = "romm:sfu";

    /** What an admin asks to set; a null field is left as it is (on add: its default). */
    public record Draft(String issuer, String jwksUrl, List<String> algorithms, Boolean enabled, Boolean listRooms, String note) {}

    private record Snapshot(List<TrustedIssuer> all, Map<String, TrustedIssuer> byIssuer) {
        static Snapshot of(List<TrustedIssuer> all) {
            return new Snapshot(List.copyOf(all), all.stream().collect(Collectors.toUnmodifiableMap(TrustedIssuer::issuer,
                    Function.identity())));
        }
    }

    private final IssuerStore store;
    private final UnitOfWork db;
    private final ChangeFeed feed;
    private final AuditService audit;
    private final String ownIssuer;
    private final String publicUrl;
    private final Clock clock;
    private volatile Snapshot snapshot;

    /** {@code publicUrl}: LATCH_PUBLIC_URL, empty when unset; {@code ownIssuer}: this instance's {@code iss}. */
    public IssuerService(IssuerStore store, UnitOfWork db, ChangeFeed feed, AuditService audit, String ownIssuer,
                         String publicUrl, Clock clock) {
        this.store = store;
        this.db = db;
        this.feed = feed;
        this.audit = audit;
        this.ownIssuer = ownIssuer;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.snapshot = Snapshot.of(store.all());
        feed.onCommitted(Change.IssuersChanged.class, c -> reload());
        feed.onCommitted(Change.Resync.class, c -> reload());
    }

    public String ownIssuer() {
        return ownIssuer;
    }

    /** Every entry, oldest first. */
    public List<TrustedIssuer> list() {
        return snapshot.all();
    }

    /** The entry for this exact {@code iss}, enabled or not; from memory. */
    public Optional<TrustedIssuer> find(String issuer) {
        return issuer == null ? Optional.empty() : Optional.ofNullable(snapshot.byIssuer().get(issuer));
    }

    /** The entry for {@code iss} if it is enabled: the only issuers whose tokens are checked at all. */
    public Optional<TrustedIssuer> enabled(String issuer) {
        return find(issuer).filter(TrustedIssuer::enabled);
    }

    public TrustedIssuer add(Principal actor, ClientInfo client, Draft d) {
        if (publicUrl.isEmpty()) {
            // Peers verify our tokens by their iss, and ask us with aud set to it: "latch" would name every instance.
            throw new ApiError(409, "public_url_required", "Set LATCH_PUBLIC_URL before trusting other issuers: it is"
                    + " this instance's issuer, by which peers tell its tokens apart.");
        }
        String issuer = issuer(Optional.ofNullable(d.issuer()).orElseThrow(() ->
                ApiError.badRequest("invalid_request", "The field 'issuer' is required.")));
        String jwksUrl = d.jwksUrl() == null ? defaultJwksUrl(issuer) : jwksUrl(d.jwksUrl());
        List<String> algorithms = d.algorithms() == null ? SigningAlgorithm.DEFAULT : algorithms(d.algorithms());
        boolean listRooms = Boolean.TRUE.equals(d.listRooms());
        checkRoomsEndpoint(issuer, listRooms);
        Instant now = clock.instant();
        var draft = new TrustedIssuer(0, issuer, jwksUrl, algorithms, !Boolean.FALSE.equals(d.enabled()), listRooms,
                note(d.note()), now, now);
        TrustedIssuer added = db.inTransaction(tx -> {
            Optional<TrustedIssuer> stored = store.add(tx, draft);
            if (stored.isEmpty()) {
                return null;
            }
            feed.publish(tx, new Change.IssuersChanged());
            tx.afterCommit(() -> audit.record(AuditType.ISSUER_ADDED, Outcome.SUCCESS, actor, null, client, describe(stored.get())));
            return stored.get();
        });
        if (added == null) {
            throw ApiError.conflict("issuer_exists", "That instance is trusted already: change or remove its entry instead.");
        }
        return added;
    }

    public TrustedIssuer update(Principal actor, ClientInfo client, long id, Draft d) {
        TrustedIssuer updated = db.inTransaction(tx -> {
            TrustedIssuer before = store.find(tx, id).orElseThrow(IssuerService::notFound);
            String issuer = d.issuer() == null ? before.issuer() : issuer(d.issuer());
            String jwksUrl = d.jwksUrl() == null ? before.jwksUrl() : jwksUrl(d.jwksUrl());
            List<String> algorithms = d.algorithms() == null ? before.algorithms() : algorithms(d.algorithms());
            boolean listRooms = d.listRooms() == null ? before.listRooms() : d.listRooms();
            checkRoomsEndpoint(issuer, listRooms);
            var after = new TrustedIssuer(id, issuer, jwksUrl, algorithms, d.enabled() == null ? before.enabled() : d.enabled(),
                    listRooms, d.note() == null ? before.note() : note(d.note()), before.createdAt(), clock.instant());
            switch (store.update(tx, after)) {
                case NOT_FOUND -> throw notFound();
                case DUPLICATE -> throw ApiError.conflict("issuer_exists", "Another entry has that issuer already.");
                default -> { }
            }
            feed.publish(tx, new Change.IssuersChanged());
            tx.afterCommit(() -> audit.record(AuditType.ISSUER_UPDATED, Outcome.SUCCESS, actor, null, client,
                    describe(after) + changes(before, after)));
            return after;
        });
        return updated;
    }

    public void remove(Principal actor, ClientInfo client, long id) {
        db.run(tx -> {
            String issuer = store.delete(tx, id).orElseThrow(IssuerService::notFound);
            feed.publish(tx, new Change.IssuersChanged());
            tx.afterCommit(() -> audit.record(AuditType.ISSUER_REMOVED, Outcome.SUCCESS, actor, null, client, "issuer " + issuer));
        });
    }

    private void reload() {
        snapshot = Snapshot.of(store.all());
    }

    private String issuer(String issuer) {
        if (issuer.isEmpty() || issuer.length() > MAX_ISSUER_LENGTH || !issuer.strip().equals(issuer)
                || issuer.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw ApiError.badRequest("invalid_issuer", "'issuer' must be the exact iss its tokens carry: 1 to "
                    + MAX_ISSUER_LENGTH + " characters, no spaces around it, no control characters.");
        }
        if (issuer.equals(ownIssuer)) {
            throw ApiError.badRequest("own_issuer", "That is this instance's own issuer; its tokens are trusted already.");
        }
        if (issuer.equals(LEGACY_ISSUER)) {
            throw ApiError.badRequest("invalid_issuer", "'romm:sfu' is the ROM manager's old issuer; its tokens are"
                    + " accepted with SFU_ACCEPT_LEGACY_HS256, never through the registry.");
        }
        return issuer;
    }

    private static String defaultJwksUrl(String issuer) {
        if (httpUrl(issuer).isEmpty()) {
            throw ApiError.badRequest("invalid_jwks_url", "'jwks_url' is required when the issuer is not an http(s) URL.");
        }
        return (issuer.endsWith("/") ? issuer : issuer + "/") + ".well-known/jwks.json";
    }

    private static String jwksUrl(String url) {
        return httpUrl(url).filter(u -> u.getRawFragment() == null).map(u -> url).orElseThrow(() ->
                ApiError.badRequest("invalid_jwks_url", "'jwks_url' must be an absolute http(s) URL with a host, no"
                        + " user name or password and no fragment, at most " + MAX_URL_LENGTH + " characters."));
    }

    /** An absolute http(s) URL with a host and no credentials in it. */
    static Optional<URI> httpUrl(String value) {
        if (value == null || value.length() > MAX_URL_LENGTH) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean ok = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null;
            return ok ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static List<String> algorithms(List<String> names) {
        if (names.isEmpty()) {
            throw ApiError.badRequest("invalid_algorithms", "'algorithms' must name at least one algorithm, e.g. [\"RS256\"].");
        }
        var out = new LinkedHashSet<String>();
        for (String name : names) {
            SigningAlgorithm a = SigningAlgorithm.named(name).orElseThrow(() -> ApiError.badRequest("algorithm_not_allowed",
                    "Only asymmetric signature algorithms may be trusted (RS256, RS384, RS512, ES256, ES384, ES512);"
                            + " HMAC (HS256, ...) and 'none' never are."));
            out.add(a.name());
        }
        return List.copyOf(out);
    }

    private static String note(String note) {
        if (note == null) {
            return "";
        }
        if (note.length() > MAX_NOTE_LENGTH) {
            throw ApiError.badRequest("invalid_request", "'note' may be at most " + MAX_NOTE_LENGTH + " characters.");
        }
        return note;
    }

    /** Rooms are asked for at {@code <issuer>/api/federation/rooms}, so listing them needs an issuer that is a URL. */
    private static void checkRoomsEndpoint(String issuer, boolean listRooms) {
        if (listRooms && httpUrl(issuer).isEmpty()) {
            throw ApiError.badRequest("invalid_request", "'list_rooms' needs an issuer that is an http(s) URL: its rooms"
                    + " are asked for at <issuer>/api/federation/rooms.");
        }
    }

    private static ApiError notFound() {
        return new ApiError(404, "issuer_not_found", "There is no trusted issuer with that id.");
    }

    private static String describe(TrustedIssuer i) {
        return "issuer " + i.issuer() + " (keys " + i.jwksUrl() + ", " + String.join(" ", i.algorithms())
                + (i.enabled() ? "" : ", disabled") + (i.listRooms() ? ", rooms listed" : "") + ")";
    }

    private static String changes(TrustedIssuer before, TrustedIssuer after) {
        var changed = new ArrayList<String>();
        if (!before.issuer().equals(after.issuer())) {
            changed.add("was " + before.issuer());
        }
        if (before.enabled() != after.enabled()) {
            changed.add(after.enabled() ? "enabled" : "disabled");
        }
        if (!before.jwksUrl().equals(after.jwksUrl())) {
            changed.add("keys moved from " + before.jwksUrl());
        }
        if (!before.algorithms().equals(after.algorithms())) {
            changed.add("algorithms were " + String.join(" ", before.algorithms()));
        }
        if (before.listRooms() != after.listRooms()) {
            changed.add(after.listRooms() ? "rooms now listed" : "rooms no longer listed");
        }
        return changed.isEmpty() ? "" : ": " + String.join(", ", changed);
    }
}
