package latch.federation;

import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The algorithms a trusted issuer's keys may use: asymmetric only (RFC 8725 §3.1). HMAC would need a secret both
 * sides hold, and a public key taken as an HMAC secret is the classic key-confusion attack; {@code none} is no
 * signature at all. Each algorithm is bound to one key type (and, for ECDSA, one curve).
 */
enum SigningAlgorithm {
    RS256, RS384, RS512, ES256, ES384, ES512;

    /** What an issuer may use when its entry names none: what Latch itself signs with. */
    static final List<String> DEFAULT = List.of("RS256", "ES256");
    /** RSA keys shorter than this are refused (RFC 7518 §3.3 asks for 2048 bits at least). */
    private static final int MIN_RSA_BITS = 2048;

    /** As an admin writes it: case does not matter, the entry keeps the canonical name. */
    static Optional<SigningAlgorithm> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (SigningAlgorithm a : values()) {
            if (a.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** As a token or a JWK names it: exactly, since JWA names are case-sensitive (RFC 7518 §3.1). */
    static Optional<SigningAlgorithm> exactly(String name) {
        for (SigningAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The algorithm a published key is for: its {@code alg}, or for an EC key without one, its curve's. */
    static Optional<SigningAlgorithm> of(JWK key) {
        if (key.getAlgorithm() != null) {
            return exactly(key.getAlgorithm().getName()).filter(a -> a.fits(key));
        }
        // An RSA key without alg could be RS256, RS384 or RS512: ambiguous, so it is not used (RFC 8725 §3.1).
        if (key instanceof ECKey ec) {
            Curve curve = ec.getCurve();
            SigningAlgorithm a = Curve.P_256.equals(curve) ? ES256 : Curve.P_384.equals(curve) ? ES384
                    : Curve.P_521.equals(curve) ? ES512 : null;
            return Optional.ofNullable(a);
        }
        return Optional.empty();
    }

    private boolean fits(JWK key) {
        return switch (this) {
            case RS256, RS384, RS512 -> key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS;
            case ES256 -> key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
            case ES384 -> key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve());
            case ES512 -> key instanceof ECKey ec && Curve.P_521.equals(ec.getCurve());
        };
    }

    /** A verifier (no private key) for {@code key}, which {@link #of} matched to this algorithm. */
    Algorithm verifier(JWK key) throws JOSEException {
        return switch (this) {
            case RS256 -> Algorithm.RSA256(((RSAKey) key).toRSAPublicKey(), null);
            case RS384 -> Algorithm.RSA384(((RSAKey) key).toRSAPublicKey(), null);
            case RS512 -> Algorithm.RSA512(((RSAKey) key).toRSAPublicKey(), null);
            case ES256 -> Algorithm.ECDSA256(((ECKey) key).toECPublicKey(), null);
            case ES384 -> Algorithm.ECDSA384(((ECKey) key).toECPublicKey(), null);
            case ES512 -> Algorithm.ECDSA512(((ECKey) key).toECPublicKey(), null);
        };
    }
}
