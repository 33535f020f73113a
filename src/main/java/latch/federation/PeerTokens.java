package latch.federation;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import latch.cache.Caches;
import latch.http.ApiError;
import latch.keys.PublishedKeys;
import latch.token.RandomSecrets;
import latch.token.TokenRejected;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The tokens instances present to each other (asking a peer for its rooms): signed with the asker's own netplay key,
 * so no secret is shared, {@code aud} the peer's issuer, living {@link #LIFETIME}, one use each. Their {@code typ}
 * ({@link #TYP}, RFC 8725 §3.11) is theirs alone: no netplay or session token passes as one, nor the reverse.
 */
public final class PeerTokens {
    public static final String TYP = "latch-federation+jwt";
    static final Duration LIFETIME = Duration.ofSeconds(30);
    /** The longest life a peer's token may claim; anything longer is not one of ours to accept. */
    static final Duration MAX_LIFETIME = Duration.ofSeconds(60);
    private static final long CLOCK_SKEW_SECONDS = 5;
    private static final int MAX_TOKEN_LENGTH = 4096;

    private final String ownIssuer;
    private final PublishedKeys keys;
    private final IssuerService registry;
    private final IssuerKeys issuerKeys;
    private final Clock clock;
    /** (iss, jti) of tokens already accepted, kept past their longest life so a replay is refused. */
    private final Cache<String, Boolean> seen;

    public PeerTokens(String ownIssuer, PublishedKeys keys, IssuerService registry, IssuerKeys issuerKeys, Clock clock) {
        this.ownIssuer = ownIssuer;
        this.keys = keys;
        this.registry = registry;
        this.issuerKeys = issuerKeys;
        this.clock = clock;
        this.seen = Caches.builder(clock).maximumSize(100_000)
                .expireAfterWrite(MAX_LIFETIME.plusSeconds(2 * CLOCK_SKEW_SECONDS)).build();
    }

    /** A token for asking {@code audience} (a peer's issuer) something, signed with this instance's key. */
    String mint(String audience) {
        PublishedKeys.Signer key = keys.signer();
        Instant now = clock.instant();
        return JWT.create()
                .withHeader(Map.of("typ", TYP))
                .withKeyId(key.kid())
                .withIssuer(ownIssuer)
                .withSubject(ownIssuer)
                .withAudience(audience)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(LIFETIME))
                .withJWTId(RandomSecrets.urlSafe(16))
                .sign(key.algorithm());
    }

    /**
     * The issuer a peer's token proves, or a refusal: 401 for anything not a valid token of an issuer trusted here
     * (an unknown issuer without a request anywhere), 403 for an issuer trusted once and now disabled.
     */
    String verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw refused("Send a federation token signed by your instance's key as a Bearer token.");
        }
        DecodedJWT decoded;
        try {
            decoded = JWT.decode(token);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw refused("That is not a federation token.");
        }
        if (!TYP.equals(decoded.getType())) {
            throw refused("That is not a federation token.");
        }
        String issuer = decoded.getIssuer();
        TrustedIssuer entry = registry.find(issuer).orElseThrow(() -> refused("This instance does not trust that issuer."));
        if (!entry.enabled()) {
            throw ApiError.forbidden("issuer_disabled", "This instance trusts that issuer no longer; it was disabled here.");
        }
        DecodedJWT jwt;
        try {
            Algorithm key = issuerKeys.verifier(issuer, decoded.getKeyId(), decoded.getAlgorithm());
            JWTVerifier verifier = ((JWTVerifier.BaseVerification) JWT.require(key)
                    .withIssuer(issuer)
                    .withAudience(ownIssuer)
                    .withClaimPresence("jti")
                    .withClaimPresence("iat")
                    .withClaimPresence("exp")
                    .acceptLeeway(CLOCK_SKEW_SECONDS))
                    .build(clock);
            jwt = verifier.verify(decoded);
        } catch (TokenRejected | JWTVerificationException | IllegalArgumentException e) {
            throw refused("The federation token is invalid, expired, or not for this instance.");
        }
        if (Duration.between(jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant()).compareTo(MAX_LIFETIME) > 0) {
            throw refused("A federation token may live at most " + MAX_LIFETIME.toSeconds() + " seconds.");
        }
        if (seen.asMap().putIfAbsent(issuer + '\n' + jwt.getId(), Boolean.TRUE) != null) {
            throw refused("That federation token was used already.");
        }
        return issuer;
    }

    private static ApiError refused(String message) {
        return ApiError.invalidToken(message);
    }
}
