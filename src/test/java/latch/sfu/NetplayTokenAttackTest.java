package latch.sfu;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.Sfu;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tokens an attacker might present, each refused with 401 and nothing else happening. */
class NetplayTokenAttackTest {
    static final String ROMM_SECRET = "the-rom-managers-old-auth-secret-0123456789abcdef";

    @TempDir
    Path dir;

    private static void refused(TestLatch latch, String token, String why) {
        var res = Sfu.verify(latch, token, true);
        assertEquals(401, res.status(), why + ": " + res);
        assertEquals("invalid_token", res.json().get("error").asText(), why);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tokensOfOtherTypesNeverStandInForOneAnother() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String session = latch.setupAdmin();
            String write = Sfu.mint(latch, session, "write");
            String read = Sfu.mint(latch, session, "read");
            for (String netplay : new String[] {write, read}) {
                assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(netplay)).status());
                assertEquals(401, latch.http().get("/api/auth/me", "Cookie", "latch_token=" + netplay).status());
            }
            refused(latch, session, "a session token");
            String access = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json().get("access_token").asText();
            refused(latch, access, "an OAuth access token");
            assertEquals(200, Sfu.verify(latch, write, true).status(), "the write token itself was never touched");
        });
    }

    @Test
    void forgedAndTamperedTokensAreRefused() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String session = latch.setupAdmin();
            String real = Sfu.mint(latch, session, "read");
            var decoded = JWT.decode(real);
            String kid = decoded.getKeyId();
            String issuer = latch.settings().server().issuer();
            long now = latch.clock().instant().getEpochSecond();
            String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"admin\",\"uid\":1,\"type\":\"sfu:write\",\"jti\":\"j1\","
                    + "\"iat\":" + now + ",\"exp\":" + (now + 30) + "}";

            refused(latch, b64("{\"alg\":\"none\",\"typ\":\"latch-sfu+jwt\",\"kid\":\"" + kid + "\"}") + "." + b64(claims) + ".",
                    "alg none");

            // Key confusion: HS256 with our public key (as published, and as DER) for the HMAC secret.
            String jwks = latch.http().get("/.well-known/jwks.json").body();
            RSAPublicKey pub = ((RSAKey) JWKSet.parse(jwks).getKeyByKeyId(kid)).toRSAPublicKey();
            for (byte[] secret : new byte[][] {pub.getEncoded(), jwks.getBytes(StandardCharsets.UTF_8),
                    ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pub.getEncoded())
                            + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.UTF_8)}) {
                refused(latch, JWT.create().withHeader(Map.of("typ", "latch-sfu+jwt")).withKeyId(kid).withIssuer(issuer)
                        .withSubject("admin").withClaim("uid", 1).withClaim("type", "sfu:read").withJWTId("x")
                        .withIssuedAt(Instant.ofEpochSecond(now)).withExpiresAt(Instant.ofEpochSecond(now + 60))
                        .sign(Algorithm.HMAC256(secret)), "HS256 keyed with the public key");
            }

            var attacker = KeyPairGenerator.getInstance("RSA");
            attacker.initialize(2048);
            var pair = attacker.generateKeyPair();
            Algorithm theirs = Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
            for (String badKid : new String[] {"unknown-kid", "../../../etc/passwd", "' OR '1'='1", "\"; DROP TABLE published_keys; --", kid}) {
                refused(latch, JWT.create().withHeader(Map.of("typ", "latch-sfu+jwt")).withKeyId(badKid).withIssuer(issuer)
                        .withSubject("admin").withClaim("uid", 1).withClaim("type", "sfu:read").withJWTId("x")
                        .withIssuedAt(Instant.ofEpochSecond(now)).withExpiresAt(Instant.ofEpochSecond(now + 60))
                        .sign(theirs), "signed by another key, kid " + badKid);
            }

            String[] parts = real.split("\\.");
            String tamperedClaims = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("\"sub\":\"admin\"", "\"sub\":\"root\""));
            refused(latch, parts[0] + "." + tamperedClaims + "." + parts[2], "claims changed after signing");
            refused(latch, parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA", "signature changed");
            refused(latch, "not.a.jwt", "garbage");
            refused(latch, "x".repeat(5000), "oversized");
            assertEquals(200, Sfu.verify(latch, real, true).status(), "the untouched token still verifies");
        });
    }

    @Test
    @RaisesAlerts("sends tokens naming issuers nobody trusts")
    void keysNamedByTheTokenItselfAreNeverFetched() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var contacted = new AtomicInteger();
        server.createContext("/", exchange -> {
            contacted.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        try {
            TestLatch.run(dir, Sfu.settings(), latch -> {
                latch.setupAdmin();
                String here = "http://127.0.0.1:" + server.getAddress().getPort();
                var gen = KeyPairGenerator.getInstance("RSA");
                gen.initialize(2048);
                var pair = gen.generateKeyPair();
                Algorithm theirs = Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
                long now = latch.clock().instant().getEpochSecond();
                for (String issuer : new String[] {latch.settings().server().issuer(), here, "https://unknown.example"}) {
                    var header = new HashMap<String, Object>(Map.of("typ", "latch-sfu+jwt", "jku", here + "/jwks.json",
                            "x5u", here + "/cert.pem"));
                    header.put("jwk", new ObjectMapper().readValue(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).build()
                            .toJSONString(), Map.class));
                    refused(latch, JWT.create().withHeader(header).withKeyId("attacker").withIssuer(issuer).withSubject("admin")
                            .withClaim("type", "sfu:read").withJWTId("x").withIssuedAt(Instant.ofEpochSecond(now))
                            .withExpiresAt(Instant.ofEpochSecond(now + 60)).sign(theirs), "keys named in headers, issuer " + issuer);
                }
            });
        } finally {
            server.stop(0);
        }
        assertEquals(0, contacted.get(), "Latch fetched a key a token pointed it to");
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String session = latch.setupAdmin();
            String read = Sfu.mint(latch, session, "read");
            String write = Sfu.mint(latch, session, "write");
            latch.clock().advance(java.time.Duration.ofSeconds(30 + 6));
            var lateWrite = Sfu.verify(latch, write, true);
            assertEquals(401, lateWrite.status());
            assertEquals("token not found", lateWrite.json().get("detail").asText());
            assertEquals(200, Sfu.verify(latch, read, false).status(), "a read token lives 15 minutes");
            latch.clock().advance(java.time.Duration.ofSeconds(900));
            refused(latch, read, "expired read token, also from the cache of verified tokens");

            // Minted by a clock running ahead: issued more than the 5 s of allowed skew in the future.
            latch.clock().advance(java.time.Duration.ofSeconds(10));
            String future = Sfu.mint(latch, latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD), "read");
            latch.clock().advance(java.time.Duration.ofSeconds(-10));
            refused(latch, future, "iat 10 s in the future");
        });
    }

    @Test
    @RaisesAlerts("sends the ROM manager's old tokens once the aid is off, and a used one again")
    void theRomManagersOldTokensPassOnlyWhileTheMigrationAidIsOn() throws Exception {
        long now = java.time.Clock.systemUTC().instant().getEpochSecond();
        java.util.function.BiFunction<String, String, String> legacy = (type, secret) -> JWT.create().withIssuer("romm:sfu")
                .withSubject("oldplayer").withClaim("type", type).withJWTId("legacy-" + type)
                .withIssuedAt(Instant.ofEpochSecond(now)).withExpiresAt(Instant.ofEpochSecond(now + 30))
                .sign(Algorithm.HMAC256(secret));
        String write = legacy.apply("sfu:write", ROMM_SECRET);

        TestLatch.run(dir, Sfu.settings(), new latch.support.TestClock(Instant.ofEpochSecond(now)), latch -> {
            refused(latch, write, "legacy off by default");
        });
        var on = Map.of("ROMM_SFU_INTERNAL_SECRET", Sfu.SECRET, "SFU_ACCEPT_LEGACY_HS256", "true", "ROMM_AUTH_SECRET_KEY", ROMM_SECRET);
        TestLatch.run(dir.resolve("on"), on, new latch.support.TestClock(Instant.ofEpochSecond(now)), latch -> {
            var peek = Sfu.verify(latch, write, false);
            assertEquals(200, peek.status(), peek.toString());
            assertEquals("oldplayer", peek.json().get("sub").asText());
            assertEquals("romm:sfu", peek.json().get("iss").asText());
            assertEquals(200, Sfu.verify(latch, write, true).status());
            assertEquals("token already used", Sfu.verify(latch, write, true).json().get("detail").asText());
            assertEquals("token already used", Sfu.verify(latch, write, false).json().get("detail").asText());

            String oldest = legacy.apply("sfu", ROMM_SECRET);
            assertEquals(200, Sfu.verify(latch, oldest, true).status(), "type 'sfu' is the oldest write token");
            assertEquals(401, Sfu.verify(latch, oldest, true).status());
            String read = legacy.apply("sfu:read", ROMM_SECRET);
            assertEquals(200, Sfu.verify(latch, read, true).status());
            assertEquals(200, Sfu.verify(latch, read, true).status());

            refused(latch, legacy.apply("sfu:write", ROMM_SECRET + "-not"), "another secret");
            refused(latch, legacy.apply("admin", ROMM_SECRET), "a type that is not netplay");
            refused(latch, JWT.create().withIssuer("romm:sfu").withSubject("x").withClaim("type", "sfu:write")
                    .withIssuedAt(Instant.ofEpochSecond(now)).withExpiresAt(Instant.ofEpochSecond(now + 30))
                    .sign(Algorithm.HMAC256(ROMM_SECRET)), "a write token without jti");
        });
        // Used before a restart: one box's ledger is in memory and cannot know, so it refuses (fail closed); nodes
        // sharing a database keep the ledger there and remember the use.
        TestLatch.run(dir.resolve("on"), on, new latch.support.TestClock(Instant.ofEpochSecond(now + 1)), latch -> {
            var afterRestart = Sfu.verify(latch, write, true);
            assertEquals(401, afterRestart.status());
            assertEquals(latch.settings().database().shared() ? "token already used" : "token not found",
                    afterRestart.json().get("detail").asText());
        });
    }
}
