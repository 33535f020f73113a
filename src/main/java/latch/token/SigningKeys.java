package latch.token;

import com.auth0.jwt.algorithms.Algorithm;

/**
 * Where the keys for each token type come from. Today one HMAC secret; asymmetric keys with {@code kid} and
 * rotation slot in behind this without touching the issuers.
 */
public interface SigningKeys {
    /** The algorithm and key that sign new tokens of this type. */
    Algorithm signer(TokenType type);

    /** The one algorithm (and key) accepted when verifying this type: an explicit allow-list of one. */
    Algorithm verifier(TokenType type);
}
