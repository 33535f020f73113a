package latch.pairing;

import com.fasterxml.jackson.annotation.JsonInclude;
import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.clienttoken.ClientToken;
import latch.clienttoken.ClientTokenService;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.LimitSettings;
import latch.limit.RateLimiter;
import latch.token.RandomSecrets;
import latch.user.User;
import latch.user.UserDirectory;
import latch.db.UnitOfWork;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Getting a token onto a handheld: either the RFC 8628 device flow (the device asks, the user approves on
 * /pair, the device polls), or a short code that hands an existing token's fresh secret to a device once.
 */
public final class PairingService {
    static final Duration DEVICE_LIFETIME = Duration.ofMinutes(10);
    static final Duration PAIR_CODE_LIFETIME = Duration.ofSeconds(60);
    static final int INTERVAL_SECONDS = 5;
    static final int SLOW_DOWN_SECONDS = 5;
    /** Draws of a fresh code before giving up: with 20^8 codes, even one clash means the table is unusually full. */
    static final int CODE_ATTEMPTS = 5;

    public record PairCode(String code, long expiresIn) {}

    public record Exchanged(String token, String tokenType, String name, List<String> scopes, String expiresAt) {}

    public record DeviceStart(String deviceCode, String userCode, String verificationUri, String verificationUriComplete,
                              long expiresIn, int interval) {}

    public record DeviceRequest(String userCode, String clientName, List<String> requestedScopes, List<String> grantableScopes,
                                String expiresAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeviceToken(String accessToken, String tokenType, String scope, Long expiresIn) {}

    private final PairingStore store;
    private final UnitOfWork work;
    private final ClientTokenService tokens;
    private final UserDirectory users;
    private final ScopeCatalog scopes;
    private final AuditService audit;
    private final RateLimiter limiter;
    private final LimitPolicy wrongCodes;
    private final LimitPolicy deviceStarts;
    private final LimitPolicy exchanges;
    private final Supplier<String> codes;
    private final Clock clock;

    /** {@code codes} draws short codes in XXXX-XXXX form ({@link UserCode#fresh} outside tests). */
    public PairingService(PairingStore store, UnitOfWork work, ClientTokenService tokens, UserDirectory users, ScopeCatalog scopes,
                          AuditService audit, RateLimiter limiter, LimitSettings limits,
                          Supplier<String> codes, Clock clock) {
        this.store = store;
        this.work = work;
        this.tokens = tokens;
        this.users = users;
        this.scopes = scopes;
        this.audit = audit;
        this.limiter = limiter;
        this.wrongCodes = limits.wrongCodesPerClient();
        this.deviceStarts = limits.deviceInitPerClient();
        this.exchanges = limits.pairingExchangePerClient();
        this.codes = codes;
        this.clock = clock;
    }

    /** A one-minute, single-use code that hands {@code tokenId} to a device. */
    public PairCode pairCode(Principal caller, String tokenId) {
        requireSignedIn(caller);
        ClientToken token = tokens.ownedUnexpired(caller.user().id(), tokenId);
        Instant now = now();
        String code = freeCode(c -> work.inTransaction(tx -> store.createCode(tx, RandomSecrets.sha256(c), token.id(), now,
                now.plus(PAIR_CODE_LIFETIME))));
        return new PairCode(code, PAIR_CODE_LIFETIME.getSeconds());
    }

    /** The device's side: the code, once, for a fresh secret of the token (its old secret stops working). */
    public Exchanged exchange(String typed, ClientInfo client) {
        limiter.requireFree(wrongCodes, client);
        limiter.enforce(exchanges, client);
        String tokenId = UserCode.normalise(typed)
                .flatMap(code -> work.inTransaction(tx -> store.consumeCode(tx, RandomSecrets.sha256(code), clock.instant())))
                .orElseThrow(() -> wrongCode(client));
        ClientToken token = tokens.findActive(tokenId)
                .orElseThrow(() -> ApiError.notFound("The token this code was for has expired or been revoked."));
        var minted = tokens.replaceSecret(token, null, client, "paired to a device");
        audit.record(AuditType.CLIENT_TOKEN_PAIRED, Outcome.SUCCESS, (User) null, users.find(token.userId()).orElse(null), client,
                token.described());
        var t = minted.token();
        return new Exchanged(minted.secret(), "Bearer", t.name(), ScopeCatalog.sorted(t.scopes()),
                t.expiresAt() == null ? null : t.expiresAt().toString());
    }

    /** A device without a token asks for one (RFC 8628 §3.1-3.2). */
    public DeviceStart startDevice(String clientName, List<String> requested, String origin, ClientInfo client) {
        limiter.enforce(deviceStarts, client);
        if (clientName == null || clientName.isBlank() || clientName.length() > 100 || clientName.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("invalid_request", "client_name is required: up to 100 characters naming the device or app.");
        }
        if (requested == null || requested.isEmpty()) {
            throw ApiError.badRequest("invalid_scope", "Ask for at least one scope.");
        }
        for (String s : requested) {
            if (!scopes.isKnown(s)) {
                throw ApiError.badRequest("invalid_scope", "Unknown scope '" + s + "'.");
            }
        }
        String deviceCode = RandomSecrets.urlSafe(32);
        Instant now = now();
        String userCode = freeCode(c -> work.inTransaction(tx -> store.createDevice(tx, RandomSecrets.sha256(deviceCode),
                new DeviceAuthorization(RandomSecrets.sha256(c), clientName.strip(), Set.copyOf(requested),
                        DeviceAuthorization.Status.PENDING, null, null, null, null, now, now.plus(DEVICE_LIFETIME), INTERVAL_SECONDS,
                        null, false))));
        String uri = origin + "/pair";
        return new DeviceStart(deviceCode, userCode, uri, uri + "?code=" + userCode, DEVICE_LIFETIME.getSeconds(), INTERVAL_SECONDS);
    }

    /** What a pending request asks for, for the person about to approve it. */
    public DeviceRequest describe(Principal caller, String typed, ClientInfo client) {
        requireSignedIn(caller);
        DeviceAuthorization a = pending(typed, client);
        var grantable = new TreeSet<>(a.requestedScopes());
        grantable.retainAll(caller.scopes());
        return new DeviceRequest(UserCode.normalise(typed).orElseThrow(), a.clientName(), ScopeCatalog.sorted(a.requestedScopes()),
                new ArrayList<>(grantable), a.expiresAt().toString());
    }

    public void approve(Principal caller, String typed, String name, List<String> chosen, Long expiresInSeconds, ClientInfo client) {
        requireSignedIn(caller);
        DeviceAuthorization a = pending(typed, client);
        // Refused here, where the person can revoke a token and retry, not when the device polls for its token.
        tokens.requireRoomFor(caller.user().id());
        var grantable = new HashSet<>(a.requestedScopes());
        grantable.retainAll(caller.scopes());
        if (chosen != null && chosen.isEmpty()) {
            throw ApiError.badRequest("invalid_scope", "Choose at least one scope, or deny the request.");
        }
        // No list at all approves the request as the device made it, within what the approver holds.
        Set<String> granted = chosen == null ? grantable : Set.copyOf(chosen);
        if (granted.isEmpty() || !grantable.containsAll(granted)) {
            throw new ApiError(403, "insufficient_scope", "Grant only scopes the device asked for and you hold.");
        }
        if (expiresInSeconds != null && (expiresInSeconds < 60 || expiresInSeconds > Duration.ofDays(3650).getSeconds())) {
            throw ApiError.badRequest("invalid_request", "expires_in_seconds must be between 60 and 315360000, or null for no expiry.");
        }
        // Checked now, while the person can fix it, not when the device polls for a token it then never gets.
        String tokenName = ClientTokenService.checkName(name == null || name.isBlank() ? a.clientName() : name);
        if (!work.inTransaction(tx -> store.decide(tx, a.userCodeHash(), DeviceAuthorization.Status.APPROVED, caller.user().id(),
                tokenName, granted, expiresInSeconds, clock.instant()))) {
            throw ApiError.conflict("already_decided", "This request was already approved, denied or has expired.");
        }
        audit.record(AuditType.DEVICE_APPROVED, Outcome.SUCCESS, caller, caller.user(), client,
                a.clientName() + ": " + ScopeCatalog.format(granted));
    }

    public void deny(Principal caller, String typed, ClientInfo client) {
        requireSignedIn(caller);
        DeviceAuthorization a = pending(typed, client);
        if (!work.inTransaction(tx -> store.decide(tx, a.userCodeHash(), DeviceAuthorization.Status.DENIED, caller.user().id(),
                null, null, null, clock.instant()))) {
            throw ApiError.conflict("already_decided", "This request was already approved, denied or has expired.");
        }
        audit.record(AuditType.DEVICE_DENIED, Outcome.SUCCESS, caller, caller.user(), client, a.clientName());
    }

    /** The device polls (RFC 8628 §3.4-3.5); the token is handed out exactly once. */
    public DeviceToken poll(String deviceCode, ClientInfo client) {
        if (deviceCode == null || deviceCode.isEmpty() || deviceCode.length() > 100) {
            throw ApiError.badRequest("invalid_request", "device_code is required.");
        }
        String hash = RandomSecrets.sha256(deviceCode);
        Instant now = clock.instant();
        DeviceAuthorization a = work.inTransaction(tx -> store.poll(tx, hash, now, SLOW_DOWN_SECONDS))
                .orElseThrow(() -> ApiError.badRequest("invalid_grant", "This device code is unknown."));
        // RFC 8628 §3.5: past expires_in the code is dead whatever its status; an approved code must not stay redeemable.
        if (!now.isBefore(a.expiresAt())) {
            throw ApiError.badRequest("expired_token", "The device code has expired; start again.");
        }
        if (a.status() == DeviceAuthorization.Status.DELIVERED) {
            throw ApiError.badRequest("invalid_grant", "The token for this device code was already handed out.");
        }
        if (a.polledTooSoon()) {
            throw ApiError.badRequest("slow_down", "Polling too fast; wait " + a.intervalSeconds() + " seconds between polls.");
        }
        switch (a.status()) {
            case PENDING:
                throw ApiError.badRequest("authorization_pending", "Waiting for someone to approve the code on the device.");
            case DENIED:
                throw ApiError.badRequest("access_denied", "The request was denied.");
            default:
                break;
        }
        User owner = users.find(a.userId()).filter(User::enabled)
                .orElseThrow(() -> ApiError.badRequest("access_denied", "The approving account is no longer active."));
        // Delivered and minted in one transaction. The approver filled their last free place after approving: the
        // request stays approved (not delivered) and the device keeps polling, with an RFC 8628 answer, until a
        // place frees up or the code expires.
        var minted = work.inTransaction(tx -> {
            if (!store.markDelivered(tx, hash)) {
                throw ApiError.badRequest("invalid_grant", "The token for this device code was already handed out.");
            }
            return tokens.createForDevice(tx, owner, a.tokenName(), a.tokenScopes(), a.tokenExpiresIn(), a.clientName(), client)
                    .orElseThrow(() -> ApiError.badRequest("authorization_pending",
                            "Approved, but the approving account holds the most API tokens allowed; waiting for it to revoke one."));
        });
        return new DeviceToken(minted.secret(), "Bearer", ScopeCatalog.format(minted.token().scopes()), a.tokenExpiresIn());
    }

    /** Draws codes until {@code stored} accepts one; codes are unique, so a clash is a retry (then a 503), never a 500. */
    private String freeCode(Predicate<String> stored) {
        for (int i = 0; i < CODE_ATTEMPTS; i++) {
            String code = codes.get();
            if (stored.test(code)) {
                return code;
            }
        }
        throw new ApiError(503, "temporarily_unavailable", "Could not find a free code; try again in a moment.");
    }

    private DeviceAuthorization pending(String typed, ClientInfo client) {
        limiter.requireFree(wrongCodes, client);
        Instant now = clock.instant();
        return UserCode.normalise(typed).map(RandomSecrets::sha256).flatMap(store::findByUserCode)
                .filter(a -> a.status() == DeviceAuthorization.Status.PENDING && now.isBefore(a.expiresAt()))
                .orElseThrow(() -> wrongCode(client));
    }

    private ApiError wrongCode(ClientInfo client) {
        limiter.tryConsume(wrongCodes, client);
        return ApiError.notFound("That code is wrong or has expired.");
    }

    // Deciding for a device is the person's call: a leaked script token must not read, approve or deny requests.
    private static void requireSignedIn(Principal caller) {
        if (caller.credential() == Principal.Credential.CLIENT_TOKEN) {
            throw ApiError.forbidden("client_token_cannot_mint", "Pairing needs a signed-in user, not a client token.");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
