package latch.sfu;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import latch.token.TokenRejected;

import java.time.Clock;

/**
 * The ROM manager's own netplay tokens (HS256 with its {@code ROMM_AUTH_SECRET_KEY}, {@code iss: "romm:sfu"}), accepted
 * while a household moves over, as the plan's "old formats still supported during transition". Its {@code type} may
 * be {@code sfu} (the oldest, treated as a write token), {@code sfu:read} or {@code sfu:write}; the write kinds need
 * a {@code jti}.
 */
final class LegacyTokens {
    static final String ISSUER = "romm:sfu";
    private final Algorithm key;
    private final Clock clock;

    LegacyTokens(byte[] secret, Clock clock) {
        this.key = Algorithm.HMAC256(secret);
        this.clock = clock;
    }

    NetplayClaims verify(DecodedJWT decoded) throws TokenRejected {
        // Only HS256, only with the configured secret: never one of our public keys as an HMAC secret (key confusion).
        if (!"HS256".equals(decoded.getAlgorithm())) {
            throw new TokenRejected("algorithm not allowed");
        }
        DecodedJWT jwt;
        try {
            var verification = (JWTVerifier.BaseVerification) JWT.require(key).withIssuer(ISSUER)
                    .withClaimPresence("sub").withClaimPresence("exp").withClaimPresence("type")
                    .acceptLeeway(NetplayTokens.CLOCK_SKEW_SECONDS);
            jwt = verification.build(clock).verify(decoded);
        } catch (TokenExpiredException e) {
            throw new TokenRejected(NetplayTokens.EXPIRED);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw new TokenRejected(e.getClass().getSimpleName());
        }
        String type = jwt.getClaim("type").asString();
        NetplayTokenType kind = "sfu".equals(type) ? NetplayTokenType.WRITE
                : NetplayTokenType.ofClaim(type).orElseThrow(() -> new TokenRejected("invalid token type"));
        if (kind == NetplayTokenType.WRITE && (jwt.getId() == null || jwt.getIssuedAtAsInstant() == null)) {
            throw new TokenRejected("missing jti or iat");
        }
        if (jwt.getSubject().isBlank()) {
            throw new TokenRejected("missing sub");
        }
        return new NetplayClaims(ISSUER, jwt.getSubject(), null, jwt.getClaim("netplay_username").asString(), kind,
                jwt.getId(), jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant(), null);
    }
}
