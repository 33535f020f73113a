package latch.clienttoken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.LoadingCache;
import latch.cache.Caches;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.Tx;
import latch.db.UnitOfWork;
import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.http.ApiError;
import latch.alert.AlertKind;
import latch.alert.Alerts;
import latch.metrics.Metrics;
import latch.http.Cidr;
import latch.limit.LimitPolicy;
import latch.limit.LimitSettings;
import latch.limit.RateLimiter;
import latch.http.ClientInfo;
import latch.token.RandomSecrets;
import latch.user.User;
import latch.user.UserDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Client API tokens: minted with a subset of the owner's scopes, shown once, stored as SHA-256, checked from a
 * cache on the hot path (no SQL), and always narrowed at use to what the owner holds now. Every change to a token
 * travels on the change feed, so every process's cache follows; a user's new password revokes their tokens
 * unless they chose to keep them.
 */
public final class ClientTokenService {
    private static final Duration MAX_EXPIRY = Duration.ofDays(3650);
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_NAME = 100;

    /** A token just minted or regenerated, with its secret (shown once). */
    public record Minted(ClientToken token, String secret) {}

    private final ClientTokenStore store;
    private final UnitOfWork work;
    private final ChangeFeed feed;
    private final UserDirectory users;
    private final ScopeCatalog scopes;
    private final AuditService audit;
    private final Alerts alerts;
    private final RateLimiter limiter;
    private final LimitPolicy perUser;
    private final LimitPolicy perClient;
    private final int maxPerUser;
    private final Executor writer;
    private final Clock clock;
    private final Metrics metrics;
    private final LoadingCache<String, Optional<ClientToken>> byId;
    private final Cache<String, Instant> lastTouched;

    public ClientTokenService(ClientTokenStore store, UnitOfWork work, ChangeFeed feed, UserDirectory users, ScopeCatalog scopes,
                              AuditService audit, Alerts alerts, RateLimiter limiter, LimitSettings limits,
                              ClientTokenSettings settings, Executor writer, Metrics metrics, Clock clock) {
        this.alerts = alerts;
        this.limiter = limiter;
        this.perUser = limits.clientTokensPerUser();
        this.perClient = limits.clientTokensPerClient();
        this.metrics = metrics;
        this.store = store;
        this.work = work;
        this.feed = feed;
        this.users = users;
        this.scopes = scopes;
        this.audit = audit;
        this.maxPerUser = settings.maxPerUser();
        this.writer = writer;
        this.clock = clock;
        // The feed keeps entries current; the expiry only bounds how long an unused one takes memory.
        this.byId = Caches.builder(clock).maximumSize(50_000).expireAfterAccess(Duration.ofMinutes(30)).build(store::find);
        this.lastTouched = Caches.builder(clock).maximumSize(50_000).expireAfterWrite(TOUCH_INTERVAL).build();
        feed.onCommitted(Change.ClientTokenChanged.class, c -> byId.invalidate(c.tokenId()));
        feed.onCommitted(Change.UserDeleted.class, c -> forgetOwner(c.userId()));
        feed.onCommitted(Change.Resync.class, c -> byId.invalidateAll());
        feed.within(Change.PasswordChanged.class, (tx, c) -> {
            if (c.revokeClientTokens()) {
                revokeAllFor(tx, c.userId());
            }
        });
    }

    private void forgetOwner(long userId) {
        byId.asMap().entrySet().removeIf(e -> e.getValue().map(t -> t.userId() == userId).orElse(false));
    }

    /** The reaction to a new password: whatever the old one minted dies with it, in the same transaction. */
    private void revokeAllFor(Tx tx, long userId) {
        List<String> revoked = store.revokeAll(tx, userId, clock.instant());
        for (String id : revoked) {
            feed.publish(tx, new Change.ClientTokenChanged(id));
        }
        if (!revoked.isEmpty()) {
            tx.afterCommit(() -> audit.record(AuditType.CLIENT_TOKEN_REVOKED, Outcome.SUCCESS, (User) null,
                    users.find(userId).orElse(null), null, revoked.size() + " tokens, after a new password"));
        }
    }

    /** Mints a token for the caller. A client token cannot mint tokens; scopes must be the caller's own. */
    public Minted create(Principal caller, String name, List<String> requested, Long expiresInSeconds, List<String> networks,
                         ClientInfo client) {
        if (caller.credential() == Principal.Credential.CLIENT_TOKEN) {
            throw ApiError.forbidden("client_token_cannot_mint", "A client token cannot create client tokens; sign in instead.");
        }
        Set<String> granted = grantable(caller.scopes(), requested);
        limitMinting(caller.user(), client);
        return work.inTransaction(tx -> mint(tx, caller.user(), name, granted, expiresInSeconds, networks, null, caller, client))
                .orElseThrow(() -> tooMany("You have " + maxPerUser + " active tokens, the most allowed; revoke one first."));
    }

    /**
     * Mints a token for a user who approved a device, with scopes already checked against theirs, inside the
     * transaction that marks the request delivered; empty if the user holds the most active tokens allowed.
     */
    public Optional<Minted> createForDevice(Tx tx, User owner, String name, Set<String> granted, Long expiresInSeconds, String device,
                                            ClientInfo client) {
        return mint(tx, owner, name, granted, expiresInSeconds, List.of(), device, null, client);
    }

    /** Refuses while the user holds the most active tokens allowed, before they approve a device that would need one more. */
    public void requireRoomFor(long userId) {
        if (store.countActive(userId, clock.instant()) >= maxPerUser) {
            throw tooMany("You have " + maxPerUser + " active API tokens, the most allowed; revoke one under API tokens on your"
                    + " account page, then approve this device again.");
        }
    }

    private static ApiError tooMany(String message) {
        return ApiError.conflict("too_many_tokens", message);
    }

    private Optional<Minted> mint(Tx tx, User owner, String name, Set<String> granted, Long expiresInSeconds, List<String> networks,
                                  String device, Principal actor, ClientInfo client) {
        String checkedName = checkName(name);
        Instant now = now();
        Instant expires = null;
        if (expiresInSeconds != null) {
            if (expiresInSeconds < 60 || expiresInSeconds > MAX_EXPIRY.getSeconds()) {
                throw ApiError.badRequest("invalid_request", "expires_in_seconds must be between 60 and " + MAX_EXPIRY.getSeconds() + ", or null for no expiry.");
            }
            expires = now.plusSeconds(expiresInSeconds);
        }
        String id = ClientTokenSecret.newId();
        String secret = ClientTokenSecret.mint(id);
        var token = new ClientToken(id, owner.id(), checkedName, granted, RandomSecrets.sha256(secret), parseNetworks(networks),
                device, now, expires, null, null);
        if (!store.createWithin(tx, token, maxPerUser, now)) {
            return Optional.empty();
        }
        feed.publish(tx, new Change.ClientTokenChanged(id));
        User by = actor == null ? owner : actor.user();
        String detail = token.described() + ": " + ScopeCatalog.format(granted) + (device == null ? "" : ", for device " + device);
        tx.afterCommit(() -> audit.record(AuditType.CLIENT_TOKEN_CREATED, Outcome.SUCCESS, by, owner, client, detail));
        metrics.token(Metrics.TokenKind.CLIENT, Metrics.TokenEvent.MINTED);
        return Optional.of(new Minted(token, secret));
    }

    /** The caller's tokens. */
    public List<ClientTokenView> list(long userId) {
        Instant now = clock.instant();
        return store.list(userId).stream().map(t -> view(t, now)).collect(Collectors.toList());
    }

    /** Every token of a user still held, revoked ones included: for the owner's export of their data. */
    public List<ClientToken> everyOf(long userId) {
        return store.everyOf(userId);
    }

    /** A user's tokens, for someone acting on their account: only an admin sees an admin's. */
    public List<ClientTokenView> listFor(Principal actor, long userId) {
        requireManageable(actor, userId);
        return list(userId);
    }

    private void requireManageable(Principal actor, long ownerId) {
        User owner = users.findCurrent(ownerId).orElseThrow(() -> ApiError.notFound("There is no user with that id."));
        if (!actor.mayManage(owner)) {
            throw ApiError.forbidden("admin_only", "Only an admin can act on an admin's tokens.");
        }
    }

    /** Revokes one of {@code owner}'s tokens; another user's token id is answered as unknown. */
    public void revoke(Principal actor, long ownerId, String id, ClientInfo client) {
        if (!actor.isUser(ownerId)) {
            requireManageable(actor, ownerId);
        }
        ClientToken token = owned(ownerId, id);
        work.run(tx -> {
            store.revoke(tx, token.id(), clock.instant());
            feed.publish(tx, new Change.ClientTokenChanged(token.id()));
        });
        audit.record(AuditType.CLIENT_TOKEN_REVOKED, Outcome.SUCCESS, actor, users.find(ownerId).orElse(null), client,
                token.described());
    }

    /** A new secret for one of the owner's tokens; the old secret stops working at once. */
    public Minted regenerate(Principal actor, long ownerId, String id, ClientInfo client) {
        if (actor.credential() == Principal.Credential.CLIENT_TOKEN) {
            throw ApiError.forbidden("client_token_cannot_mint", "A client token cannot regenerate client tokens; sign in instead.");
        }
        ClientToken token = ownedUnexpired(ownerId, id);
        limitMinting(actor.user(), client);
        return replaceSecret(token, actor, client, "regenerated");
    }

    /** Each new secret counts against the person minting it and the client asking. */
    private void limitMinting(User minter, ClientInfo client) {
        limiter.enforceForUser(perUser, minter.id());
        limiter.enforce(perClient, client);
    }

    /** Gives the token a fresh secret (pairing hands it to a device); the old one dies. */
    public Minted replaceSecret(ClientToken token, Principal actor, ClientInfo client, String why) {
        String secret = ClientTokenSecret.mint(token.id());
        boolean replaced = work.inTransaction(tx -> {
            if (!store.replaceSecret(tx, token.id(), RandomSecrets.sha256(secret))) {
                return false;
            }
            feed.publish(tx, new Change.ClientTokenChanged(token.id()));
            return true;
        });
        if (!replaced) {
            throw ApiError.notFound("You have no active token with that id.");
        }
        User owner = users.find(token.userId()).orElse(null);
        audit.record(AuditType.CLIENT_TOKEN_REGENERATED, Outcome.SUCCESS, actor == null ? owner : actor.user(), owner, client,
                token.described() + " " + why);
        metrics.token(Metrics.TokenKind.CLIENT, Metrics.TokenEvent.MINTED);
        return new Minted(store.find(token.id()).orElseThrow(), secret);
    }

    private ClientToken owned(long ownerId, String id) {
        return byId.get(id).filter(t -> t.userId() == ownerId && t.revokedAt() == null)
                .orElseThrow(() -> ApiError.notFound("There is no active token with that id."));
    }

    /** One of the owner's tokens that can still be used: a new secret for an expired one would be dead on arrival. */
    public ClientToken ownedUnexpired(long ownerId, String id) {
        ClientToken token = owned(ownerId, id);
        if (!token.isActive(clock.instant())) {
            throw ApiError.conflict("token_expired", "This token has expired; revoke it and create a new one.");
        }
        return token;
    }

    /** An active token by id, whoever owns it (pairing codes point at tokens by id). */
    public Optional<ClientToken> findActive(String id) {
        Instant now = clock.instant();
        return byId.get(id).filter(t -> t.isActive(now));
    }

    /** The principal a presented client token stands for, or a 401. */
    public Principal authenticate(String presented, Supplier<ClientInfo> client) {
        ClientToken token = ClientTokenSecret.idOf(presented).flatMap(byId::get)
                .filter(t -> RandomSecrets.constantTimeEquals(t.secretHash(), RandomSecrets.sha256(presented)))
                .orElseThrow(() -> ApiError.invalidToken("The API token is invalid or has been revoked."));
        Instant now = clock.instant();
        if (!token.isActive(now)) {
            throw ApiError.invalidToken("The API token has expired or been revoked.");
        }
        String ip = client.get().ip();
        if (!token.allows(ip)) {
            alerts.raise(AlertKind.CLIENT_TOKEN_OUTSIDE_NETWORKS, token.userId(), ip,
                    "client token " + token.id() + " (" + token.name() + ") used from outside its networks");
            throw ApiError.invalidToken("The API token may not be used from this network.");
        }
        User owner = users.find(token.userId()).filter(User::enabled)
                .orElseThrow(() -> ApiError.invalidToken("The API token's owner is no longer active."));
        touch(token.id(), now);
        metrics.token(Metrics.TokenKind.CLIENT, Metrics.TokenEvent.VERIFIED);
        return new Principal(owner, effective(token.scopes(), scopes.of(owner.role())), Principal.Credential.CLIENT_TOKEN,
                null, token.id(), token.expiresAt());
    }

    /**
     * The token's scopes that its owner still holds. Usually all of them, and then the token's own immutable set
     * is returned rather than a copy: nothing to build per request, and the same set each time for the caches
     * keyed by it.
     */
    static Set<String> effective(Set<String> granted, Set<String> held) {
        if (held.containsAll(granted)) {
            return granted;
        }
        Set<String> effective = new HashSet<>(granted);
        effective.retainAll(held);
        return Set.copyOf(effective);
    }

    private void touch(String id, Instant now) {
        if (lastTouched.asMap().putIfAbsent(id, now) != null) {
            return;
        }
        writer.execute(() -> store.touch(id, now));
    }

    /** Requested scopes must be a non-empty subset of what the caller holds; the answer names any excess. */
    static Set<String> grantable(Set<String> held, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "Choose at least one scope for the token.");
        }
        var excess = new TreeSet<String>();
        for (String s : requested) {
            if (!held.contains(s)) {
                excess.add(s);
            }
        }
        if (!excess.isEmpty()) {
            throw new ApiError(403, "insufficient_scope", "You cannot grant scopes you do not hold: " + String.join(", ", excess) + ".");
        }
        return Set.copyOf(requested);
    }

    static ClientTokenView view(ClientToken t, Instant now) {
        return new ClientTokenView(t.id(), t.name(), ScopeCatalog.sorted(t.scopes()), t.createdAt().toString(),
                t.expiresAt() == null ? null : t.expiresAt().toString(), t.lastUsedAt() == null ? null : t.lastUsedAt().toString(),
                t.networks().stream().map(Cidr::toString).collect(Collectors.toList()), t.device(), !t.isActive(now));
    }

    /** A token name as stored: 1-100 characters, no control characters, trimmed; else 400. */
    public static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiError.badRequest("invalid_request", "Give the token a name, e.g. the app or device that will use it.");
        }
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("invalid_request", "A token name is at most " + MAX_NAME + " characters, without control characters.");
        }
        return name.strip();
    }

    private static List<Cidr> parseNetworks(List<String> networks) {
        var out = new ArrayList<Cidr>();
        if (networks != null) {
            if (networks.size() > 20) {
                throw ApiError.badRequest("invalid_request", "At most 20 networks per token.");
            }
            for (String n : networks) {
                try {
                    out.add(Cidr.parse(n.strip()));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw ApiError.badRequest("invalid_request", "'" + n + "' is not an IP address or CIDR range.");
                }
            }
        }
        return out;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
