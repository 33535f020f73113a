package latch.oidc;

import latch.support.OpenIdProvider;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.javalin.Javalin;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A provider that issues whatever ID token the test forges: wrong issuer or audience, expired, unsigned, signed with
 * a key it never published, HS256 with the client secret. No real provider misbehaves on request, so this one plays
 * a compromised or misconfigured provider over real HTTP (discovery, JWKS, authorization, token endpoint); the
 * happy paths run against a real provider ({@link OpenIdProvider}).
 */
final class HostileProvider implements AutoCloseable {
    /** The key the provider rotates to, published once {@link #rotated} is set. */
    final RSAKey next;
    volatile boolean rotated;
    /** The token endpoint's client authentication methods, as discovery states them; absent when null. */
    volatile List<String> authMethods;
    /** How each token request authenticated the client: "basic", "post" or "none". */
    final List<String> clientAuth = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger jwksFetches = new java.util.concurrent.atomic.AtomicInteger();
    final RSAKey rsa;
    final RSAKey unpublished;
    final ECKey ec;
    final KeyPair ed25519;
    final OctetKeyPair ed25519Jwk;
    private final Javalin app;
    private final Map<String, String> nonceByCode = new ConcurrentHashMap<>();
    private final Map<String, Boolean> spentCodes = new ConcurrentHashMap<>();
    /** The ID token the token endpoint hands out, given the nonce of the sign-in. */
    volatile Function<String, String> idToken;
    /** The issuer the discovery document names; its own address unless a test says otherwise. */
    volatile String statedIssuer;

    HostileProvider() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        unpublished = new RSAKeyGenerator(2048).keyID("rsa-1").generate(); // same kid, another key
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = ed25519.getPublic().getEncoded();
        ed25519Jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
                .keyID("ed-1").build();
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/.well-known/openid-configuration", ctx -> {
                var document = new java.util.HashMap<String, Object>(Map.of(
                        "issuer", statedIssuer == null ? issuer() : statedIssuer,
                        "authorization_endpoint", issuer() + "/authorize",
                        "token_endpoint", issuer() + "/token",
                        "jwks_uri", issuer() + "/jwks",
                        "end_session_endpoint", issuer() + "/logout",
                        "response_types_supported", List.of("code"),
                        "subject_types_supported", List.of("public"),
                        "id_token_signing_alg_values_supported", List.of("RS256", "ES256", "PS256", "EdDSA")));
                if (authMethods != null) {
                    document.put("token_endpoint_auth_methods_supported", authMethods);
                }
                ctx.json(document);
            });
            config.routes.get("/jwks", ctx -> {
                jwksFetches.incrementAndGet();
                var keys = new java.util.ArrayList<com.nimbusds.jose.jwk.JWK>(List.of(rsa.toPublicJWK(), ec.toPublicJWK(), ed25519Jwk));
                if (rotated) {
                    keys.add(next.toPublicJWK());
                }
                ctx.contentType("application/json").result(new JWKSet(keys).toString());
            });
            config.routes.get("/authorize", ctx -> {
                String code = "code-" + nonceByCode.size() + "-" + System.nanoTime();
                nonceByCode.put(code, ctx.queryParam("nonce"));
                ctx.redirect(ctx.queryParam("redirect_uri") + "?code=" + code + "&state=" + ctx.queryParam("state"));
            });
            config.routes.post("/token", ctx -> {
                clientAuth.add(ctx.header("Authorization") != null ? "basic" : ctx.formParam("client_secret") != null ? "post" : "none");
                String code = ctx.formParam("code");
                String nonce = nonceByCode.get(code);
                if (nonce == null || spentCodes.putIfAbsent(code, true) != null) {
                    ctx.status(400).json(Map.of("error", "invalid_grant"));
                    return;
                }
                ctx.json(Map.of("access_token", "at", "token_type", "Bearer", "expires_in", 300, "id_token", idToken.apply(nonce)));
            });
        }).start("127.0.0.1", 0);
    }

    /** Plays the browser at this provider: where its authorization sends the browser back. */
    String get(String authorization) {
        try {
            var res = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(authorization)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return res.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no redirect: " + res.statusCode()));
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    String issuer() {
        return "http://127.0.0.1:" + app.port();
    }

    Map<String, String> settings(Map<String, String> overrides) {
        var values = new java.util.HashMap<String, String>();
        values.put("OIDC_ENABLED", "true");
        values.put("OIDC_PROVIDER", "Hostile");
        values.put("OIDC_CLIENT_ID", OpenIdProvider.CLIENT_ID);
        values.put("OIDC_CLIENT_SECRET", OpenIdProvider.CLIENT_SECRET);
        values.put("OIDC_SERVER_APPLICATION_URL", issuer());
        values.put("OIDC_ALLOW_REGISTRATION", "true");
        values.putAll(overrides);
        return values;
    }

    /** Claims a correct ID token would carry for {@code nonce}. */
    JWTClaimsSet.Builder claims(String nonce) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer()).subject("victim-sub").audience(OpenIdProvider.CLIENT_ID)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("nonce", nonce)
                .claim("preferred_username", "mallory");
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims,
                header -> new RSASSASigner(key));
    }

    static String ps256(RSAKey key, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(key.getKeyID()).build(), claims, header -> new RSASSASigner(key));
    }

    static String es256(ECKey key, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims, header -> new ECDSASigner(key));
    }

    static String hs256(String secret, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), claims, header -> new MACSigner(secret.getBytes()));
    }

    static String typed(RSAKey key, String typ, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(new JOSEObjectType(typ)).build(), claims,
                header -> new RSASSASigner(key));
    }

    /** Ed25519 signed by the JDK (Nimbus signs OKP only through Tink, which Latch does not ship). */
    String eddsa(JWTClaimsSet claims) {
        try {
            var jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("ed-1").build(), new Payload(claims.toJSONObject()));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(ed25519.getPrivate());
            signer.update(jws.getSigningInput());
            return jws.getHeader().toBase64URL() + "." + jws.getPayload().toBase64URL() + "." + Base64URL.encode(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token (alg none, RFC 7519 section 6). */
    static String unsigned(JWTClaimsSet claims) {
        return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64URL.encode(claims.toString()) + ".";
    }

    private interface SignerFor {
        com.nimbusds.jose.JWSSigner of(JWSHeader header) throws Exception;
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, SignerFor signer) {
        try {
            var jws = new JWSObject(header, new Payload(claims.toJSONObject()));
            jws.sign(signer.of(header));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
