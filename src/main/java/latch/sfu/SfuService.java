package latch.sfu;

import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import latch.access.Principal;
import latch.alert.AlertKind;
import latch.alert.Alerts;
import latch.cache.Caches;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.metrics.Metrics;
import latch.token.RandomSecrets;
import latch.token.TokenDigest;
import latch.token.TokenRejected;
import latch.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * Netplay tokens as the ROM manager's SFU and EmulatorJS client know them: minted for a signed-in person, verified
 * (and, for write tokens, used up) when the SFU asks. The answers and refusals keep the ROM manager's field names
 * and sentences, which the SFU reads and logs.
 */
public final class SfuService {
    static final String ALREADY_USED = "token already used";
    static final String NOT_FOUND = "token not found";
    static final String INVALID = "invalid token";

    /** The mint answer: {@code expires} in seconds, as the ROM manager answers, and when that is. */
    public record Minted(String token, String tokenType, long expires, String expiresAt) {}

    /** The verify answer: who it is ({@code iss} with {@code sub}), and the token's {@code type} claim. */
    public record Verification(String sub, String netplayUsername, String tokenType, String iss) {}

    private final NetplayTokens tokens;
    private final ForeignKeys foreign;
    /** Trusted instances' tokens already checked, by digest: a warm verify costs a hash, not an RSA or EC check. */
    private final Cache<TokenDigest, NetplayClaims> foreignVerified;
    private final Optional<LegacyTokens> legacy;
    private final WriteTokenLedger ledger;
    private final RateLimiter limiter;
    private final Alerts alerts;
    private final LimitPolicy perUser;
    private final LimitPolicy perClient;
    private final SfuSettings settings;
    private final Metrics metrics;
    private final Clock clock;

    public SfuService(NetplayTokens tokens, ForeignKeys foreign, WriteTokenLedger ledger, RateLimiter limiter, Alerts alerts,
                      SfuSettings settings, Metrics metrics, Clock clock) {
        this.alerts = alerts;
        this.metrics = metrics;
        this.tokens = tokens;
        this.foreign = foreign;
        this.foreignVerified = Caches.builder(clock).maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(15)).build();
        this.legacy = settings.legacySecret().map(secret -> new LegacyTokens(secret, clock));
        this.ledger = ledger;
        this.limiter = limiter;
        this.perUser = new LimitPolicy("sfu-mint-user", settings.mintPerMinute(), Duration.ofMinutes(1));
        this.perClient = new LimitPolicy("sfu-mint-client", 2L * settings.mintPerMinute(), Duration.ofMinutes(1));
        this.settings = settings;
        this.clock = clock;
    }

    /** A token of the type asked for ("read" when none is named), if the caller holds its scope. */
    public Minted mint(Principal caller, String tokenType, ClientInfo client) {
        NetplayTokenType type = NetplayTokenType.requested(tokenType).orElseThrow(() ->
                ApiError.badRequest("invalid_token_type", "token_type must be 'read' or 'write'."));
        if (!caller.has(type.scope())) {
            throw new ApiError(403, "insufficient_scope", "This needs the scope '" + type.scope() + "'.");
        }
        User user = caller.user();
        limiter.enforceForUser(perUser, user.id());
        limiter.enforce(perClient, client);
        Instant now = clock.instant();
        Instant expires = now.plus(type == NetplayTokenType.READ ? settings.readTokenTtl() : settings.writeTokenTtl());
        String jti = RandomSecrets.urlSafe(16);
        String token = tokens.sign(user.username(), user.id(), user.netplayUsername(), type, jti, now, expires);
        if (type == NetplayTokenType.WRITE) {
            ledger.issue(tokens.issuer(), jti, expires);
        }
        metrics.token(kind(type), Metrics.TokenEvent.MINTED);
        return new Minted(token, "bearer", expires.getEpochSecond() - now.getEpochSecond(),
                DateTimeFormatter.ISO_INSTANT.format(expires));
    }

    /**
     * Checks a token for the SFU. A read token by signature and claims alone; a write token must also be unused,
     * and with {@code consume} it is used up: of concurrent calls exactly one succeeds.
     */
    public Verification verify(String token, boolean consume) {
        NetplayClaims claims;
        boolean ours;
        try {
            DecodedJWT decoded = NetplayTokens.decode(token);
            String issuer = decoded.getIssuer();
            ours = tokens.issuer().equals(issuer);
            if (ours) {
                claims = tokens.verify(token, decoded);
            } else if (LegacyTokens.ISSUER.equals(issuer) && legacy.isPresent()) {
                claims = legacy.get().verify(decoded);
            } else if (issuer != null && foreign.trusts(issuer)) {
                claims = foreign(token, decoded, issuer);
            } else {
                // Unknown issuer: refused on what the token says, without fetching anything it names.
                alerts.raise(AlertKind.UNKNOWN_ISSUER, null, issuer == null ? "(no issuer)" : issuer,
                        "a netplay token from an issuer this instance does not trust was sent to verify");
                throw new TokenRejected("unknown issuer");
            }
        } catch (TokenRejected e) {
            throw refused(e.getMessage().equals(NetplayTokens.EXPIRED) ? NOT_FOUND : INVALID);
        }
        if (claims.type() == NetplayTokenType.WRITE) {
            WriteTokenLedger.Use use = ours ? useOwn(claims, consume) : useForeign(claims, consume);
            if (use == WriteTokenLedger.Use.ALREADY_USED) {
                alerts.raise(AlertKind.WRITE_TOKEN_REPLAYED, claims.uid(), claims.issuer(),
                        "a used netplay write token of '" + claims.subject() + "' was presented again");
                throw refused(ALREADY_USED);
            }
            if (use == WriteTokenLedger.Use.NOT_FOUND) {
                throw refused(NOT_FOUND);
            }
            if (consume) {
                metrics.token(Metrics.TokenKind.NETPLAY_WRITE, Metrics.TokenEvent.CONSUMED);
            }
        }
        metrics.token(kind(claims.type()), Metrics.TokenEvent.VERIFIED);
        return new Verification(claims.subject(), claims.netplayUsername(), claims.type().claim(), claims.issuer());
    }

    /**
     * A token of a trusted instance: the same checks as ours, with that issuer's key for the token's {@code kid}
     * and algorithm. Its {@code uid} means nothing here and is dropped: the person is {@code (iss, sub)}.
     */
    private NetplayClaims foreign(String token, DecodedJWT decoded, String issuer) throws TokenRejected {
        if (decoded.getKeyId() == null || decoded.getKeyId().isEmpty()) {
            throw new TokenRejected("no kid");
        }
        // Asked for again: the signature was checked, so only the times and the issuer's key, still trusted and
        // enabled, are checked again (a disabled issuer or withdrawn key stops its tokens at once).
        TokenDigest digest = TokenDigest.of(token);
        NetplayClaims known = foreignVerified.getIfPresent(digest);
        if (known != null && known.issuer().equals(issuer)) {
            NetplayTokens.stillInTime(known, clock);
            foreign.verifier(issuer, known.kid(), decoded.getAlgorithm());
            return known;
        }
        NetplayClaims c = NetplayTokens.check(decoded, foreign.verifier(issuer, decoded.getKeyId(), decoded.getAlgorithm()),
                issuer, clock);
        if (c.subject().isBlank()) {
            throw new TokenRejected("blank sub");
        }
        NetplayClaims claims = new NetplayClaims(c.issuer(), c.subject(), null, c.netplayUsername(), c.type(), c.jti(),
                c.issuedAt(), c.expiresAt(), c.kid());
        foreignVerified.put(digest, claims);
        return claims;
    }

    private static Metrics.TokenKind kind(NetplayTokenType type) {
        return type == NetplayTokenType.WRITE ? Metrics.TokenKind.NETPLAY_WRITE : Metrics.TokenKind.NETPLAY_READ;
    }

    /** Write tokens the ledger tracks now (unused, and used ones until they expire). */
    public int ledgerSize() {
        return ledger.size();
    }

    /** Forgets used and expired write tokens; run by a job. */
    public int sweep() {
        return ledger.sweep();
    }

    private WriteTokenLedger.Use useOwn(NetplayClaims claims, boolean consume) {
        return consume ? ledger.consume(claims.issuer(), claims.jti()) : ledger.peek(claims.issuer(), claims.jti());
    }

    /** Minted elsewhere: one use, recorded here; one issued before this ledger saw every use is refused (fail closed). */
    private WriteTokenLedger.Use useForeign(NetplayClaims claims, boolean consume) {
        if (claims.issuedAt().isBefore(ledger.complete())) {
            return WriteTokenLedger.Use.NOT_FOUND;
        }
        if (consume) {
            return ledger.consumeForeign(claims.issuer(), claims.jti(), claims.expiresAt());
        }
        return ledger.usedForeign(claims.issuer(), claims.jti()) ? WriteTokenLedger.Use.ALREADY_USED : WriteTokenLedger.Use.OK;
    }

    private static ApiError refused(String detail) {
        String message = switch (detail) {
            case ALREADY_USED -> "This write token was used already; mint another.";
            case NOT_FOUND -> "This write token is unknown here, expired, or was minted before Latch restarted; mint another.";
            default -> "This is not a valid netplay token.";
        };
        return new ApiError(401, "invalid_token", message, Map.of()).withDetail(detail);
    }
}
