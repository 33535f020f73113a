package latch.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which keys may verify an ID token, judged by its header against an allow-list (RFC 8725 section 3.1): the
 * provider's published keys for RS256, ES256, PS256 and EdDSA; the client secret for HS256 only when the operator
 * allowed it (OIDC_ALLOW_HS256); nothing for any other algorithm, {@code none} included.
 */
final class ProviderKeys implements JWSKeySelector<SecurityContext>, JWSVerifierFactory {
    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);
    private static final Set<JWSAlgorithm> EDWARDS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    /** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410 section 4), before the 32 key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final JWKSource<SecurityContext> published;
    private final JWSVerificationKeySelector<SecurityContext> asymmetric;
    private final Optional<byte[]> hmacSecret;
    private final DefaultJWSVerifierFactory standard = new DefaultJWSVerifierFactory();

    ProviderKeys(JWKSource<SecurityContext> published, Optional<String> hs256Secret) {
        this.published = published;
        this.asymmetric = new JWSVerificationKeySelector<>(ASYMMETRIC, published);
        this.hmacSecret = hs256Secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (ASYMMETRIC.contains(alg)) {
            return asymmetric.selectJWSKeys(header, context);
        }
        if (EDWARDS.contains(alg)) {
            return edwardsKeys(header, context);
        }
        if (alg.equals(JWSAlgorithm.HS256) && hmacSecret.isPresent()) {
            return List.of(new SecretKeySpec(hmacSecret.get(), "HmacSHA256"));
        }
        return List.of();
    }

    /** Nimbus turns OKP keys into Java keys only through Tink; the JDK verifies Ed25519 itself (Java 15+). */
    private List<Key> edwardsKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        var matcher = new JWKMatcher.Builder().keyType(KeyType.OKP).curve(Curve.Ed25519).keyID(header.getKeyID())
                .keyUses(KeyUse.SIGNATURE, null).build();
        var keys = new ArrayList<Key>();
        for (JWK jwk : published.get(new JWKSelector(matcher), context)) {
            try {
                byte[] x = ((OctetKeyPair) jwk).getX().decode();
                if (x.length != 32) {
                    continue;
                }
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                keys.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            } catch (GeneralSecurityException | ClassCastException e) {
                // A malformed key in the set verifies nothing; the others still may.
            }
        }
        return keys;
    }

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (EDWARDS.contains(header.getAlgorithm()) && key instanceof EdECPublicKey edKey) {
            return new Ed25519Verifier(edKey);
        }
        return standard.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        var all = new java.util.HashSet<>(standard.supportedJWSAlgorithms());
        all.addAll(EDWARDS);
        return all;
    }

    @Override
    public JCAContext getJCAContext() {
        return standard.getJCAContext();
    }

    /** Ed25519 through the JDK's own implementation (RFC 8037): Nimbus supplies the signing input and signature. */
    private static final class Ed25519Verifier implements JWSVerifier {
        private final PublicKey key;
        private final JCAContext jca = new JCAContext();

        Ed25519Verifier(PublicKey key) {
            this.key = key;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            if (!EDWARDS.contains(header.getAlgorithm())) {
                return false;
            }
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(signingInput);
                return verifier.verify(signature.decode());
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return EDWARDS;
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}
