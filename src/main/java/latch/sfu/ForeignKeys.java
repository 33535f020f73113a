package latch.sfu;

import com.auth0.jwt.algorithms.Algorithm;
import latch.token.TokenRejected;

/**
 * The keys of other instances whose netplay tokens this one accepts (the issuer registry, kept by the federation
 * feature). Owned here so that netplay asks for what it needs without knowing how issuers are stored or fetched.
 */
public interface ForeignKeys {
    /**
     * Whether {@code issuer} is an enabled trusted issuer. Answered from memory: a token naming any other issuer is
     * refused before anything is fetched, so a stranger's token can never make Latch send a request.
     */
    boolean trusts(String issuer);

    /**
     * The verifier of {@code issuer}'s key {@code kid} for {@code alg}: only when the issuer is trusted and enabled,
     * {@code alg} is on its allow-list and is the key's own algorithm (RFC 8725 §3.1). The key comes only from the
     * issuer's configured JWKS URL, never from the token; an unknown {@code kid} may cause one bounded re-fetch.
     */
    Algorithm verifier(String issuer, String kid, String alg) throws TokenRejected;

    /** Trusts nobody: for the command line, and for tests of netplay alone. */
    ForeignKeys NONE = new ForeignKeys() {
        @Override
        public boolean trusts(String issuer) {
            return false;
        }

        @Override
        public Algorithm verifier(String issuer, String kid, String alg) throws TokenRejected {
            throw new TokenRejected("unknown issuer");
        }
    };
}
