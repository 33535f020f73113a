package latch.federation;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import latch.support.RaisesAlerts;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static latch.federation.Peers.entry;
import static latch.federation.Peers.issuer;
import static latch.federation.Peers.mint;
import static latch.federation.Peers.refused;
import static latch.federation.Peers.trust;
import static latch.federation.Peers.verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Foreign tokens an attacker might present, and issuers that misbehave: each refused with 401, nothing fetched that
 * the token names, and a huge or slow key answer costing a bounded time and a recorded error, never a hang.
 */
class ForeignTokenAttackTest {
    @TempDir
    Path dir;

    /** A local listener standing in for an issuer (or an attacker's URL): counts requests, answers what it is told. */
    static final class Listener implements AutoCloseable {
        final HttpServer server;
        final java.util.concurrent.ExecutorService threads = Executors.newCachedThreadPool();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicReference<Answer> answer = new AtomicReference<>((exchange) -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });

        interface Answer {
            void send(com.sun.net.httpserver.HttpExchange exchange) throws IOException;
        }

        Listener() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                answer.get().send(exchange);
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow(); // wakes a handler still stalling its answer
        }
    }

    private static KeyPair rsa() throws Exception {
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        return gen.generateKeyPair();
    }

    private static String netplayToken(String issuer, String kid, Algorithm key, TestClock clock, Map<String, Object> extraHeader) {
        long now = clock.instant().getEpochSecond();
        var header = new HashMap<String, Object>(Map.of("typ", "latch-sfu+jwt"));
        header.putAll(extraHeader);
        return JWT.create().withHeader(header).withKeyId(kid).withIssuer(issuer).withSubject("mallory")
                .withClaim("type", "sfu:read").withJWTId("j-" + now).withIssuedAt(Instant.ofEpochSecond(now))
                .withExpiresAt(Instant.ofEpochSecond(now + 60)).sign(key);
    }

    @Test
    @RaisesAlerts("sends tokens of unknown and disabled issuers")
    void aTokenOfAnUnknownOrDisabledIssuerIsRefusedWithoutAnyRequest() throws Exception {
        TestClock clock = Peers.clock();
        KeyPair pair = rsa();
        Algorithm theirs = Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
        try (var listener = new Listener(); var b = Peers.start(dir.resolve("b"), clock)) {
            String adminB = b.setupAdmin();
            String token = netplayToken(listener.url(), "k1", theirs, clock, Map.of("jku", listener.url() + "/jwks.json"));
            refused(b, token, "unknown issuer");
            trust(b, adminB, null, "issuer", listener.url(), "enabled", false);
            refused(b, token, "known issuer, disabled");
            assertEquals(0, listener.requests.get(), "Latch sent a request for a token it could refuse from memory");
        }
    }

    @Test
    void keysNamedInTheTokenAreNeverFetchedAndOtherKeysNeverVerify() throws Exception {
        TestClock clock = Peers.clock();
        KeyPair pair = rsa();
        Algorithm theirs = Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
        try (var listener = new Listener(); var a = Peers.start(dir.resolve("a"), clock); var b = Peers.start(dir.resolve("b"), clock)) {
            String adminA = a.setupAdmin();
            String adminB = b.setupAdmin();
            trust(b, adminB, a);
            String real = mint(a, adminA, "read");
            String kid = JWT.decode(real).getKeyId();
            var attackerJwk = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                    new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).build().toJSONString(), Map.class);
            for (String k : new String[] {kid, "attacker", "../../etc/passwd"}) {
                refused(b, netplayToken(issuer(a), k, theirs, clock, Map.of("jku", listener.url() + "/jwks.json",
                        "x5u", listener.url() + "/cert.pem", "jwk", attackerJwk)), "A's iss, another key, kid " + k);
            }
            assertEquals(0, listener.requests.get(), "a jku/x5u in the token was followed");

            // Key confusion: HS256 keyed with A's public key, as published.
            String jwks = a.http().get("/.well-known/jwks.json").body();
            RSAPublicKey aPublic = ((RSAKey) JWKSet.parse(jwks).getKeyByKeyId(kid)).toRSAPublicKey();
            for (byte[] secret : new byte[][] {aPublic.getEncoded(), jwks.getBytes(StandardCharsets.UTF_8)}) {
                refused(b, netplayToken(issuer(a), kid, Algorithm.HMAC256(secret), clock, Map.of()), "HS256 with the public key");
            }
            String[] parts = real.split("\\.");
            String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("{\"alg\":\"none\",\"typ\":\"latch-sfu+jwt\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
            refused(b, none + "." + parts[1] + ".", "alg none");
            verifies(b, real, issuer(a), "A's own token still verifies");
        }
    }

    @Test
    void anAlgorithmOutsideTheIssuersListIsRefused() {
        TestClock clock = Peers.clock();
        try (var a = Peers.start(dir.resolve("a"), clock); var b = Peers.start(dir.resolve("b"), clock)) {
            String adminA = a.setupAdmin();
            String adminB = b.setupAdmin();
            long id = trust(b, adminB, a, "algorithms", List.of("ES256"));
            String rs256 = mint(a, adminA, "read");
            refused(b, rs256, "A signs RS256, B allows A ES256 only");
            assertEquals(200, Peers.patch(b, adminB, id, "{\"algorithms\":[\"RS256\"]}").status());
            verifies(b, rs256, issuer(a), "allowed now: the changed entry starts with fresh keys");
        }
    }

    @Test
    void aJwksOnlyServedForAnAllowedAlgorithmAndKeyIsUsed() throws Exception {
        TestClock clock = Peers.clock();
        KeyPair pair = rsa();
        Algorithm theirs = Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
        try (var listener = new Listener(); var b = Peers.start(dir.resolve("b"), clock)) {
            String adminB = b.setupAdmin();
            // No alg on an RSA key: RS256, RS384 or RS512? Ambiguous, so never used.
            String bare = new JWKSet(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID("k1").build()).toString();
            listener.answer.set(exchange -> send(exchange, 200, bare.getBytes(StandardCharsets.UTF_8), true));
            trust(b, adminB, null, "issuer", listener.url());
            String token = netplayToken(listener.url(), "k1", theirs, clock, Map.of());
            refused(b, token, "an RSA key without alg");
            assertTrue(entry(b, adminB, listener.url()).get("last_error").asText().contains("no public signing key"),
                    entry(b, adminB, listener.url()).toString());

            String good = new JWKSet(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID("k1")
                    .algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).build()).toString();
            listener.answer.set(exchange -> send(exchange, 200, good.getBytes(StandardCharsets.UTF_8), true));
            clock.advance(java.time.Duration.ofSeconds(31));
            var res = Peers.verify(b, token, true);
            assertEquals(200, res.status(), res.toString());
            assertEquals("mallory", res.json().get("sub").asText());
            assertTrue(entry(b, adminB, listener.url()).get("last_error").isNull());
        }
    }

    @Test
    void aHugeOrSlowKeyAnswerIsAClearErrorNotAHang() throws Exception {
        TestClock clock = Peers.clock();
        KeyPair pair = rsa();
        Algorithm theirs = Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
        try (var listener = new Listener(); var b = Peers.start(dir.resolve("b"), clock)) {
            String adminB = b.setupAdmin();
            trust(b, adminB, null, "issuer", listener.url());
            String token = netplayToken(listener.url(), "k1", theirs, clock, Map.of());
            for (boolean declared : new boolean[] {true, false}) {
                byte[] huge = ("{\"keys\":[" + "{\"kty\":\"oct\",\"k\":\"AAAA\"},".repeat(100_000) + "{}]}").getBytes(StandardCharsets.UTF_8);
                listener.answer.set(exchange -> send(exchange, 200, huge, declared));
                refused(b, token, "a JWKS of " + huge.length / 1024 + " KiB, length " + (declared ? "declared" : "chunked"));
                String error = entry(b, adminB, listener.url()).get("last_error").asText();
                assertTrue(error.contains("larger than 64 KiB"), error);
                clock.advance(java.time.Duration.ofSeconds(31));
            }

            listener.answer.set(exchange -> {
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(exchange, 200, "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8), true);
            });
            long started = System.nanoTime();
            refused(b, token, "a JWKS that never comes");
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertTrue(seconds < 10, "waited " + seconds + " s");
            String error = entry(b, adminB, listener.url()).get("last_error").asText();
            assertTrue(error.contains("no answer within") || error.contains("no complete answer"), error);
            int asked = listener.requests.get();
            refused(b, token, "again within 30 s");
            assertEquals(asked, listener.requests.get(), "a failing issuer is asked at most once per 30 s");
        }
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body, boolean declareLength)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, declareLength ? body.length : 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // Latch stopped reading: what a size cap is for.
        } finally {
            exchange.close();
        }
    }
}
