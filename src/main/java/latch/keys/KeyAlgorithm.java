package latch.keys;

import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Locale;
import java.util.Optional;

/**
 * The asymmetric algorithms Latch signs published tokens with: RS256 over RSA 2048 (what verifiers everywhere
 * support) and ES256 over P-256 (smaller and faster). java-jwt signs and verifies; Nimbus writes and reads the JWKs.
 */
public enum KeyAlgorithm {
    RS256("RSA"),
    ES256("EC");

    private final String family;

    KeyAlgorithm(String family) {
        this.family = family;
    }

    public static Optional<KeyAlgorithm> named(String name) {
        for (KeyAlgorithm a : values()) {
            if (a.name().equals(name == null ? null : name.toUpperCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    KeyPair generate() {
        try {
            var generator = KeyPairGenerator.getInstance(family);
            if (this == RS256) {
                generator.initialize(2048);
            } else {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make " + name() + " keys", e);
        }
    }

    PublicKey publicKey(byte[] x509) throws GeneralSecurityException {
        return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(x509));
    }

    PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /** Verifies only; {@code privateKey} null. Signs as well when given. ES256 signatures come out in JOSE form (R‖S). */
    public Algorithm algorithm(PublicKey publicKey, PrivateKey privateKey) {
        return this == RS256 ? Algorithm.RSA256((RSAPublicKey) publicKey, (RSAPrivateKey) privateKey)
                : Algorithm.ECDSA256((ECPublicKey) publicKey, (ECPrivateKey) privateKey);
    }

    /** The public half as a JWK (RFC 7517) with {@code kid}, {@code alg} and {@code use: sig}; never a private member. */
    JWK jwk(String kid, PublicKey publicKey) {
        return this == RS256
                ? new RSAKey.Builder((RSAPublicKey) publicKey).keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).build()
                : new ECKey.Builder(Curve.P_256, (ECPublicKey) publicKey).keyID(kid).algorithm(JWSAlgorithm.ES256)
                        .keyUse(KeyUse.SIGNATURE).build();
    }
}
