package latch.redis;

import latch.support.Http;
import latch.support.OnPostgresAlways;
import latch.support.PostgresServer;
import latch.support.RedisServer;
import latch.support.Sfu;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rediss:// against a real redis-server that speaks only TLS, with certificates from a private CA made by the openssl
 * command: Latch trusts the server when LATCH_REDIS_CA_FILE names that CA and the certificate names the host in the
 * URL; without the CA, or with a certificate for another name that the same CA signed, it does not talk to it at all
 * (503, nothing stored), as a client that checked only the chain would.
 */
@OnPostgresAlways
class RedisTlsTest {
    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopTheServers() throws InterruptedException {
        for (Process p : servers) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void latchTalksToATlsRedisOnlyWhenItsCertificateChainsToTheGivenCaAndNamesTheHost() throws Exception {
        Path ca = dir.resolve("ca.crt");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve("ca.key").toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=Latch test CA");
        int trusted = startTlsRedis("here", "IP:127.0.0.1,DNS:localhost");
        int elsewhere = startTlsRedis("elsewhere", "DNS:other.example");

        var settings = new HashMap<String, String>();
        settings.put("LATCH_DATABASE_URL", PostgresServer.get().urlFor(dir.resolve("cluster")));
        settings.put("LATCH_ENCRYPTION_KEY", "the key of the nodes that talk TLS to Redis");
        settings.put("ROMM_SFU_INTERNAL_SECRET", Sfu.SECRET);
        String admin;
        try (var node = start("trusting", settings, "rediss://:" + RedisServer.PASSWORD + "@127.0.0.1:" + trusted, ca)) {
            admin = node.setupAdmin();
            assertEquals(200, node.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "the rate limit is in Redis");
            var verified = Sfu.verify(node, Sfu.mint(node, admin, "write"), true);
            assertEquals(200, verified.status(), verified.toString());
            assertEquals(200, node.http().get("/api/health/ready").status());
        }
        try (var node = start("without-ca", settings, "rediss://:" + RedisServer.PASSWORD + "@127.0.0.1:" + trusted, null)) {
            assertRefused(node, admin, "a certificate from a CA the JVM does not trust");
        }
        try (var node = start("other-name", settings, "rediss://:" + RedisServer.PASSWORD + "@127.0.0.1:" + elsewhere, ca)) {
            assertRefused(node, admin, "a certificate for other.example, not 127.0.0.1");
        }
    }

    private static void assertRefused(TestLatch node, String admin, String why) {
        var mint = node.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "Authorization", Http.bearer(admin));
        assertEquals(503, mint.status(), why + ": " + mint);
        assertEquals("redis_unavailable", mint.json().get("error").asText(), why);
        assertEquals(503, node.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), why);
        assertEquals(503, node.http().get("/api/health/ready").status(), why);
    }

    private TestLatch start(String name, Map<String, String> shared, String redisUrl, Path ca) {
        var settings = new HashMap<>(shared);
        settings.put("LATCH_REDIS_URL", redisUrl);
        if (ca != null) {
            settings.put("LATCH_REDIS_CA_FILE", ca.toString());
        }
        return TestLatch.start(dir.resolve(name), settings, new TestClock());
    }

    /** A redis-server that speaks only TLS, with a certificate the test CA signed for {@code names}; its port. */
    private int startTlsRedis(String name, String names) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path extensions = dir.resolve(name + ".ext");
        Files.writeString(extensions, "subjectAltName=" + names + "\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve("ca.crt").toString(), "-CAkey",
                dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2",
                "-extfile", extensions.toString());
        int port = TestLatch.freePort();
        Process server = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", Integer.toString(port),
                "--bind", "127.0.0.1", "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "no",
                "--requirepass", RedisServer.PASSWORD, "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        servers.add(server);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return port;
            } catch (IOException notYet) {
                assertTrue(server.isAlive() && System.nanoTime() < deadline,
                        "redis-server with TLS did not start: " + Files.readString(dir.resolve(name + ".log")));
                Thread.sleep(50);
            }
        }
    }

    private void openssl(String... arguments) throws Exception {
        var command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", arguments) + ": " + out);
    }
}
