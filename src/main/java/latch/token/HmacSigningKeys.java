package latch.token;

import com.auth0.jwt.algorithms.Algorithm;

/** HS256 with the instance secret for every type issued today. */
public final class HmacSigningKeys implements SigningKeys {
    private final Algorithm hs256;

    public HmacSigningKeys(byte[] secret) {
        this.hs256 = Algorithm.HMAC256(secret);
    }

    @Override
    public Algorithm signer(TokenType type) {
        return hs256;
    }

    @Override
    public Algorithm verifier(TokenType type) {
        return hs256;
    }
}
