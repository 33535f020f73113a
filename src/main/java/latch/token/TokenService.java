package latch.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import latch.cache.Caches;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.metrics.Metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that issues and verifies Latch's JWTs, each type under its own {@link TokenProfile}. Verifying
 * requires the type's {@code typ} header (RFC 8725 §3.11), an algorithm on the type's allow-list, a {@code kid}
 * naming a key the type's key source still trusts, our {@code iss}, the type's {@code aud}, and {@code sub},
 * {@code jti}, {@code iat} and {@code exp}.
 */
public final class TokenService {
    private static final int MAX_TOKEN_LENGTH = 4096;
    private static final long CLOCK_SKEW_SECONDS = 5;

    /** A verified token, the type it was verified as, and the key that signed it. */
    public record Verified(TokenType type, TokenClaims claims, String kid) {}

    private final Map<TokenType, TokenProfile> profiles = new EnumMap<>(TokenType.class);
    private final String issuer;
    private final Clock clock;
    private final Metrics metrics;
    private final Map<String, JWTVerifier> verifiers = new ConcurrentHashMap<>();
    /**
     * Tokens whose signature and claims were already checked, so a client that calls on every page load costs one
     * hash, not a signature check and a JSON parse. Only verified tokens enter, so forgeries cannot fill it; expiry
     * and the key's retirement are checked on every hit, revocation by the callers, and what a purged key signed is
     * dropped with the key.
     */
    private final Cache<TokenDigest, Verified> verified;

    public TokenService(List<TokenProfile> profiles, String issuer, ChangeFeed feed, Clock clock) {
        this(profiles, issuer, feed, Metrics.NONE, clock);
    }

    public TokenService(List<TokenProfile> profiles, String issuer, ChangeFeed feed, Metrics metrics, Clock clock) {
        this.metrics = metrics;
        for (TokenProfile p : profiles) {
            this.profiles.put(p.type(), p);
        }
        this.issuer = issuer;
        this.clock = clock;
        this.verified = Caches.builder(clock).maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).build();
        feed.onCommitted(Change.KeysRotated.class, c -> forgetRetiredKeys());
        feed.onCommitted(Change.Resync.class, c -> forgetRetiredKeys());
    }

    public String issuer() {
        return issuer;
    }

    /** Signs a token of {@code type}; its expiry is the claims' or the type's longest life, whichever comes first. */
    public String issue(TokenType type, TokenClaims claims) {
        TokenProfile profile = profile(type);
        KeySource.SigningKey key = profile.keys().signing();
        Instant latest = claims.issuedAt().plus(profile.maxLifetime());
        Instant expires = claims.expiresAt().isAfter(latest) ? latest : claims.expiresAt();
        var builder = JWT.create()
                .withHeader(Map.of("typ", type.typ()))
                .withKeyId(key.kid())
                .withIssuer(issuer)
                .withAudience(profile.audience())
                .withSubject(claims.subject())
                .withJWTId(claims.tokenId())
                .withIssuedAt(claims.issuedAt())
                .withExpiresAt(expires);
        if (claims.sessionId() != null) {
            builder.withClaim("sid", claims.sessionId());
        }
        if (claims.scope() != null) {
            builder.withClaim("scope", claims.scope());
        }
        String token = builder.sign(key.algorithm());
        metrics.token(kind(type), Metrics.TokenEvent.MINTED);
        return token;
    }

    /**
     * Verifies a token of any of Latch's types: one seen before is found by its digest; otherwise its {@code typ}
     * header picks the one profile it must then pass.
     */
    public Verified verifyAny(String token) throws TokenRejected {
        requireSize(token);
        Verified known = verified.getIfPresent(TokenDigest.of(token));
        if (known != null) {
            unexpired(known.claims());
            keyStillTrusted(known);
            return verified(known);
        }
        DecodedJWT decoded = decode(token);
        TokenType type = TokenType.ofTyp(decoded.getType()).orElseThrow(() -> new TokenRejected("not a Latch token"));
        return verified(check(type, token, decoded));
    }

    public Verified verify(TokenType type, String token) throws TokenRejected {
        requireSize(token);
        Verified known = verified.getIfPresent(TokenDigest.of(token));
        if (known != null) {
            if (known.type() != type) {
                throw new TokenRejected("wrong typ"); // it passed as another type, so it cannot pass as this one
            }
            unexpired(known.claims());
            keyStillTrusted(known);
            return verified(known);
        }
        return verified(check(type, token, decode(token)));
    }

    private Verified verified(Verified v) {
        metrics.token(kind(v.type()), Metrics.TokenEvent.VERIFIED);
        return v;
    }

    private static Metrics.TokenKind kind(TokenType type) {
        return type == TokenType.SESSION ? Metrics.TokenKind.SESSION : Metrics.TokenKind.ACCESS;
    }

    private Verified check(TokenType type, String token, DecodedJWT decoded) throws TokenRejected {
        if (!type.typ().equals(decoded.getType())) {
            throw new TokenRejected("wrong typ");
        }
        TokenProfile profile = profile(type);
        // The allow-list decides before any key is looked up: a token cannot choose how it is checked (RFC 8725 §2.1).
        if (!profile.algorithms().contains(decoded.getAlgorithm())) {
            throw new TokenRejected("algorithm not allowed for " + type);
        }
        String kid = decoded.getKeyId();
        Algorithm key = profile.keys().verifier(kid).orElseThrow(() -> new TokenRejected("unknown or retired kid"));
        DecodedJWT jwt;
        try {
            jwt = verifier(profile, kid, key).verify(decoded);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw new TokenRejected(e.getClass().getSimpleName());
        }
        var claims = new TokenClaims(jwt.getSubject(), jwt.getClaim("sid").asString(), jwt.getId(), jwt.getIssuedAtAsInstant(),
                jwt.getExpiresAtAsInstant(), jwt.getClaim("scope").asString());
        var result = new Verified(type, claims, kid);
        verified.put(TokenDigest.of(token), result);
        return result;
    }

    private JWTVerifier verifier(TokenProfile profile, String kid, Algorithm key) {
        return verifiers.computeIfAbsent(profile.type() + "/" + kid, k ->
                ((JWTVerifier.BaseVerification) JWT.require(key)
                        .withIssuer(issuer)
                        .withAudience(profile.audience())
                        .withClaimPresence("sub")
                        .withClaimPresence("jti")
                        .withClaimPresence("iat")
                        .withClaimPresence("exp")
                        .acceptLeeway(CLOCK_SKEW_SECONDS))
                        .build(clock));
    }

    private TokenProfile profile(TokenType type) {
        TokenProfile p = profiles.get(type);
        if (p == null) {
            throw new IllegalStateException("no profile for " + type);
        }
        return p;
    }

    private static DecodedJWT decode(String token) throws TokenRejected {
        try {
            return JWT.decode(token);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw new TokenRejected("not a JWT");
        }
    }

    private static void requireSize(String token) throws TokenRejected {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenRejected("missing or oversized token");
        }
    }

    private void unexpired(TokenClaims claims) throws TokenRejected {
        if (!clock.instant().isBefore(claims.expiresAt().plusSeconds(CLOCK_SKEW_SECONDS + 1))) {
            throw new TokenRejected("expired");
        }
    }

    /**
     * A key retires at a set time, before the purge deletes it: from then on a token it signed is refused, cached
     * or not (one a process signed just after another rotated outlives its key by that process's poll lag).
     */
    private void keyStillTrusted(Verified known) throws TokenRejected {
        if (profile(known.type()).keys().verifier(known.kid()).isEmpty()) {
            throw new TokenRejected("unknown or retired kid");
        }
    }

    /** Drops cached tokens and verifiers of keys their sources no longer trust. */
    private void forgetRetiredKeys() {
        verified.asMap().values().removeIf(v -> profile(v.type()).keys().verifier(v.kid()).isEmpty());
        verifiers.keySet().removeIf(k -> {
            int slash = k.indexOf('/');
            return profile(TokenType.valueOf(k.substring(0, slash))).keys().verifier(k.substring(slash + 1)).isEmpty();
        });
    }

    /** The public keys of every type, for a JWKS document. */
    public List<Map<String, Object>> publicKeys() {
        return profiles.values().stream().flatMap(p -> p.keys().publicKeys().stream()).toList();
    }

}
