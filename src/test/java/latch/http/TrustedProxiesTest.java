package latch.http;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    private static final Map<String, String> BEHIND_LOCAL_PROXY = Map.of("TRUSTED_PROXIES", "127.0.0.1,::1");
    private static final String LOGIN = "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}";

    private final TrustedProxies proxies = new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1")));

    @TempDir
    Path dir;

    /** HAProxy's {@code option forwardfor} adds its own header line: a line the client sent before it must not win. */
    @Test
    void aForwardedLineTheClientSentBeforeTheProxysOwnIsNotBelieved() {
        TestLatch.run(dir, BEHIND_LOCAL_PROXY, latch -> {
            latch.setupAdmin();
            var res = latch.http().raw("POST", "/api/auth/login", "application/json", LOGIN,
                    "X-Forwarded-For: 198.51.100.66", "X-Forwarded-Proto: https",
                    "X-Forwarded-For: 203.0.113.9", "X-Forwarded-Proto: http");
            assertEquals(200, res.status());
            assertEquals("203.0.113.9", newestSessionIp());
            assertFalse(res.setCookie("latch_token").orElseThrow().contains("Secure"), "the proxy's own line says plain HTTP");
        });
    }

    @Test
    void repeatedForwardedLinesAreReadInOrderRightToLeft() {
        TestLatch.run(dir, BEHIND_LOCAL_PROXY, latch -> {
            latch.setupAdmin();
            var res = latch.http().raw("POST", "/api/auth/login", "application/json", LOGIN,
                    "X-Forwarded-For: 198.51.100.66, 203.0.113.9", "X-Forwarded-Proto: http", "X-Forwarded-For: ::1",
                    "X-Forwarded-Proto: https");
            assertEquals(200, res.status());
            assertTrue(res.setCookie("latch_token").orElseThrow().contains("Secure"), "the last proxy says HTTPS");
            assertEquals("203.0.113.9", newestSessionIp(), "the trusted hop in the second line is skipped");
        });
    }

    private String newestSessionIp() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("latch.db"));
             var rs = c.createStatement().executeQuery("SELECT ip FROM sessions ORDER BY created_at DESC, rowid DESC LIMIT 1")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test
    void theRightmostUntrustedHopIsTheClient() {
        assertEquals("203.0.113.5", proxies.forwardedFor("10.0.0.1", "198.51.100.1, 203.0.113.5, 10.1.1.1"));
    }

    @Test
    void withNoHeaderThePeerIsTheClient() {
        assertEquals("10.0.0.1", proxies.forwardedFor("10.0.0.1", null));
    }

    @Test
    void garbageInTheHeaderStopsAtTheLastAddressWeTrust() {
        assertEquals("10.1.1.1", proxies.forwardedFor("10.0.0.1", "not-an-ip, 10.1.1.1"));
    }

    @Test
    void allTrustedHopsFallBackToTheLeftmost() {
        assertEquals("10.9.9.9", proxies.forwardedFor("10.0.0.1", "10.9.9.9, 10.1.1.1"));
    }

    @Test
    void addressesAreShownInTheirShortForm() {
        assertEquals("::1", Cidr.canonical("[0:0:0:0:0:0:0:1]"));
        assertEquals("2001:db8::1", Cidr.canonical("2001:0DB8:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1:1:1:1:1", Cidr.canonical("2001:db8:0:1:1:1:1:1"), "a single zero group is not shortened");
        assertEquals("fe80::1:0:0:1", Cidr.canonical("fe80:0:0:0:1:0:0:1"), "the first of equal runs");
        assertEquals("::", Cidr.canonical("0:0:0:0:0:0:0:0"));
        assertEquals("1::", Cidr.canonical("1:0:0:0:0:0:0:0"));
        assertEquals("127.0.0.1", Cidr.canonical("::ffff:127.0.0.1"));
        assertEquals("not-an-ip", Cidr.canonical("not-an-ip"));
    }

    @Test
    void cidrMatchingIsExactAndNeverResolvesNames() {
        Cidr net = Cidr.parse("192.168.1.0/24");
        assertTrue(net.contains("192.168.1.200"));
        assertFalse(net.contains("192.168.2.1"));
        assertFalse(net.contains("localhost"));
        assertTrue(Cidr.parse("::1").contains("0:0:0:0:0:0:0:1"));
        assertTrue(Cidr.parse("127.0.0.1").contains("::ffff:127.0.0.1"));
        assertNull(Cidr.literal("example.com"));
        assertNull(Cidr.literal("1.2.3"));
    }
}
