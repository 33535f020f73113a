package latch.sfu;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import latch.cache.Caches;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.keys.PublishedKeys;
import latch.token.TokenDigest;
import latch.token.TokenRejected;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Signs and checks this instance's netplay tokens. They carry a {@code typ} of their own ({@link #TYP}, RFC 8725
 * §3.11) that no other Latch token has, so neither passes as the other; the algorithm comes from an explicit
 * allow-list and the key only from our own published keys by {@code kid}, never from {@code jku}, {@code x5u} or
 * {@code jwk} headers. A token whose signature was checked once is remembered by digest, so a read token verified
 * on every room listing costs one hash, not an RSA verification.
 */
public final class NetplayTokens {
    public static final String TYP = "latch-sfu+jwt";
    static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");
    static final long CLOCK_SKEW_SECONDS = 5;
    private static final int MAX_TOKEN_LENGTH = 4096;
    /** The reason of a refusal for expiry alone: for a write token, the ROM manager's "token not found". */
    static final String EXPIRED = "expired";

    private final String issuer;
    private final PublishedKeys keys;
    private final Clock clock;
    private final Cache<TokenDigest, NetplayClaims> verified;

    public NetplayTokens(String issuer, PublishedKeys keys, ChangeFeed feed, Clock clock) {
        this.issuer = issuer;
        this.keys = keys;
        this.clock = clock;
        this.verified = Caches.builder(clock).maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(15)).build();
        feed.onCommitted(Change.KeysRotated.class, c -> forgetRetiredKeys());
        feed.onCommitted(Change.Resync.class, c -> forgetRetiredKeys());
    }

    public String issuer() {
        return issuer;
    }

    /**
     * Signs a token and remembers it as verified: the SFU checks a write token moments after it is minted, and the
     * digest of the very string signed here can only match that string, so the check costs a hash, not a signature.
     */
    String sign(String subject, long uid, String netplayUsername, NetplayTokenType type, String jti, Instant issuedAt,
                Instant expiresAt) {
        PublishedKeys.Signer key = keys.signer();
        String token = JWT.create()
                .withHeader(Map.of("typ", TYP))
                .withKeyId(key.kid())
                .withIssuer(issuer)
                .withSubject(subject)
                .withClaim("uid", uid)
                .withClaim("type", type.claim())
                .withClaim("netplay_username", netplayUsername)
                .withJWTId(jti)
                .withIssuedAt(issuedAt)
                .withExpiresAt(expiresAt)
                .sign(key.algorithm());
        // The claims as a verifier would read them back: JWT times are whole seconds.
        verified.put(TokenDigest.of(token), new NetplayClaims(issuer, subject, uid, netplayUsername, type, jti,
                Instant.ofEpochSecond(issuedAt.getEpochSecond()), Instant.ofEpochSecond(expiresAt.getEpochSecond()), key.kid()));
        return token;
    }

    /** Decodes without trusting anything, to learn which issuer must vouch for the token. */
    static DecodedJWT decode(String token) throws TokenRejected {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenRejected("missing or oversized token");
        }
        try {
            return JWT.decode(token);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw new TokenRejected("not a JWT");
        }
    }

    /** Checks a token this instance signed. */
    NetplayClaims verify(String token, DecodedJWT decoded) throws TokenRejected {
        TokenDigest digest = TokenDigest.of(token);
        NetplayClaims known = verified.getIfPresent(digest);
        if (known != null) {
            stillInTime(known, clock);
            if (keys.verifier(known.kid()).isEmpty()) {
                throw new TokenRejected("unknown or retired kid");
            }
            return known;
        }
        String kid = decoded.getKeyId();
        if (!ALGORITHMS.contains(decoded.getAlgorithm())) {
            throw new TokenRejected("algorithm not allowed");
        }
        Algorithm key = keys.verifier(kid).orElseThrow(() -> new TokenRejected("unknown or retired kid"));
        NetplayClaims claims = check(decoded, key, issuer, clock);
        if (claims.uid() == null) {
            throw new TokenRejected("no uid");
        }
        verified.put(digest, claims);
        return claims;
    }

    /** The time checks a token remembered as verified must still pass: its signature was checked, its times were not. */
    static void stillInTime(NetplayClaims known, Clock clock) throws TokenRejected {
        Instant now = clock.instant();
        if (!now.isBefore(known.expiresAt().plusSeconds(CLOCK_SKEW_SECONDS + 1))) {
            throw new TokenRejected(EXPIRED);
        }
        if (known.issuedAt().isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS))) {
            throw new TokenRejected("issued in the future");
        }
    }

    /**
     * The checks every netplay token passes, ours or a trusted instance's: the typ, the key's own algorithm (java-jwt
     * refuses a header naming another), the issuer, the claims, and the times with {@link #CLOCK_SKEW_SECONDS} of skew.
     */
    static NetplayClaims check(DecodedJWT decoded, Algorithm key, String issuer, Clock clock) throws TokenRejected {
        if (!TYP.equals(decoded.getType())) {
            throw new TokenRejected("wrong typ");
        }
        DecodedJWT jwt;
        try {
            JWTVerifier verifier = ((JWTVerifier.BaseVerification) JWT.require(key)
                    .withIssuer(issuer)
                    .withClaimPresence("sub")
                    .withClaimPresence("jti")
                    .withClaimPresence("iat")
                    .withClaimPresence("exp")
                    .withClaimPresence("type")
                    .acceptLeeway(CLOCK_SKEW_SECONDS))
                    .build(clock);
            jwt = verifier.verify(decoded);
        } catch (TokenExpiredException e) {
            throw new TokenRejected(EXPIRED);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw new TokenRejected(e.getClass().getSimpleName());
        }
        NetplayTokenType type = NetplayTokenType.ofClaim(jwt.getClaim("type").asString())
                .orElseThrow(() -> new TokenRejected("not a netplay token type"));
        return new NetplayClaims(issuer, jwt.getSubject(), jwt.getClaim("uid").asLong(),
                jwt.getClaim("netplay_username").asString(), type, jwt.getId(), jwt.getIssuedAtAsInstant(),
                jwt.getExpiresAtAsInstant(), decoded.getKeyId());
    }

    private void forgetRetiredKeys() {
        verified.asMap().values().removeIf(c -> keys.verifier(c.kid()).isEmpty());
    }
}
