package latch.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one place that issues and verifies Latch's JWTs. Verification pins the algorithm per type, requires the
 * type's {@code typ}, our {@code iss}, and the presence of {@code sub}, {@code jti}, {@code iat} and {@code exp}.
 */
public final class TokenService {
    private static final int MAX_TOKEN_LENGTH = 4096;
    private static final long CLOCK_SKEW_SECONDS = 5;

    private final SigningKeys keys;
    private final String issuer;
    private final Clock clock;
    private final Map<TokenType, JWTVerifier> verifiers = new EnumMap<>(TokenType.class);
    /**
     * Tokens whose signature and claims were already checked, by their exact text: on this 2-core box HMAC-SHA256
     * under the C1 compiler was most of a request's cost. Only verified tokens enter, so forgeries cannot fill it;
     * expiry is still checked on every hit, and revocation is checked by the callers as before.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public TokenService(SigningKeys keys, String issuer, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
        for (TokenType type : TokenType.values()) {
            verifiers.put(type, ((JWTVerifier.BaseVerification) JWT.require(keys.verifier(type))
                    .withIssuer(issuer)
                    .withClaimPresence("sub")
                    .withClaimPresence("jti")
                    .withClaimPresence("iat")
                    .withClaimPresence("exp")
                    .acceptLeeway(CLOCK_SKEW_SECONDS))
                    .build(clock));
        }
    }

    public String issue(TokenType type, TokenClaims claims) {
        var builder = JWT.create()
                .withHeader(Map.of("typ", type.typ()))
                .withIssuer(issuer)
                .withSubject(claims.subject())
                .withJWTId(claims.tokenId())
                .withIssuedAt(claims.issuedAt())
                .withExpiresAt(claims.expiresAt());
        if (claims.sessionId() != null) {
            builder.withClaim("sid", claims.sessionId());
        }
        if (claims.scope() != null) {
            builder.withClaim("scope", claims.scope());
        }
        return builder.sign(keys.signer(type));
    }

    /** A verified token and the type it was verified as. */
    public record Verified(TokenType type, TokenClaims claims) {}

    /**
     * Verifies a token of any of Latch's types: a token seen before is found by its text without decoding it;
     * otherwise its {@code typ} header picks the one verifier it must then pass.
     */
    public Verified verifyAny(String token) throws TokenRejected {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenRejected("missing or oversized token");
        }
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            unexpired(known.claims());
            return known;
        }
        TokenType type = claimedType(token).orElseThrow(() -> new TokenRejected("not a Latch token"));
        return new Verified(type, verify(type, token));
    }

    /** The type a token claims to be, read from its unverified header; empty for anything that is not a JWT of ours. */
    private java.util.Optional<TokenType> claimedType(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return java.util.Optional.empty();
        }
        try {
            return TokenType.ofTyp(JWT.decode(token).getType());
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    public TokenClaims verify(TokenType type, String token) throws TokenRejected {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenRejected("missing or oversized token");
        }
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            if (known.type() != type) {
                throw new TokenRejected("wrong typ"); // it passed as another type, so it cannot pass as this one
            }
            return unexpired(known.claims());
        }
        TokenClaims claims = verifyAndDecode(type, token);
        verified.put(token, new Verified(type, claims));
        return claims;
    }

    private TokenClaims unexpired(TokenClaims claims) throws TokenRejected {
        if (!clock.instant().isBefore(claims.expiresAt().plusSeconds(CLOCK_SKEW_SECONDS + 1))) {
            throw new TokenRejected("expired");
        }
        return claims;
    }

    private TokenClaims verifyAndDecode(TokenType type, String token) throws TokenRejected {
        DecodedJWT jwt;
        try {
            jwt = verifiers.get(type).verify(token);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw new TokenRejected(e.getClass().getSimpleName());
        }
        if (!type.typ().equals(jwt.getType())) {
            throw new TokenRejected("wrong typ");
        }
        String sid = jwt.getClaim("sid").asString();
        return new TokenClaims(jwt.getSubject(), sid, jwt.getId(), jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant(),
                jwt.getClaim("scope").asString());
    }
}
