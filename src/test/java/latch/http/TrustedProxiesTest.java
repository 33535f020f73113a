package latch.http;

import latch.support.TestDatabases;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    private static final Map<String, String> BEHIND_LOCAL_PROXY = Map.of("TRUSTED_PROXIES", "127.0.0.1,::1");
    private static final String LOGIN = "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}";

    private final TrustedProxies proxies = new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1")));

    /** Not IP literals, though InetAddress.getByName would look most of them up (and read 01.2.3.4 as 1.2.3.4). */
    private static final String[] REFUSED = {"999.1.1.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1..3.4",
            "::ffff:999.1.1.1", "::ffff:01.2.3.4", ".1::1"};

    @TempDir
    Path dir;

    /** HAProxy's {@code option forwardfor} adds its own header line: a line the client sent before it must not win. */
    @Test
    @RaisesAlerts("signs in through a proxy from a second network")
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
    @RaisesAlerts("signs in through a proxy from a second network")
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
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery("SELECT ip FROM sessions ORDER BY created_at DESC, "
                     + TestDatabases.insertionOrder() + " DESC LIMIT 1")) {
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
    void ipv4IsFourDecimalPartsFrom0To255WithoutLeadingZeros() {
        for (String bad : REFUSED) {
            assertNull(Cidr.literal(bad), bad);
        }
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Cidr.literal("0.0.0.0"));
        assertArrayEquals(new byte[] {(byte) 255, 10, 0, 1}, Cidr.literal("255.10.0.1"));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Cidr.literal("::ffff:1.2.3.4"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("010.0.0.0/8"), "octal or decimal? refused, not guessed");
    }

    /**
     * In a JVM whose hosts file gives each refused text an address, a lookup would answer 10.9.9.9; the
     * control line shows that one did, so refusing them shows that {@code Cidr.literal} never looked them up.
     */
    @Test
    void refusedAddressesAreNeverLookedUp(@TempDir Path tmp) throws Exception {
        Path hosts = tmp.resolve("hosts");
        Files.writeString(hosts, "10.9.9.9 " + String.join(" ", REFUSED) + "\n");
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts, "-cp", classpathOf(Cidr.class) + File.pathSeparator + classpathOf(LookupProbe.class),
                LookupProbe.class.getName()));
        command.addAll(List.of(REFUSED));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        var expected = new StringBuilder("control 10.9.9.9\n");
        for (String bad : REFUSED) {
            expected.append(bad).append(" null\n");
        }
        assertEquals(expected.toString(), out);
    }

    /** Run in its own JVM by the test above: a lookup as a control, then what {@code Cidr.literal} makes of each argument. */
    static final class LookupProbe {
        public static void main(String[] args) throws Exception {
            System.out.println("control " + InetAddress.getByName(args[0]).getHostAddress());
            for (String a : args) {
                System.out.println(a + " " + (Cidr.literal(a) == null ? "null" : Arrays.toString(Cidr.literal(a))));
            }
        }
    }

    private static String classpathOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void perClientLimitsCountAnIpv6AddressByItsSlash64() {
        assertEquals("2001:db8:1:2::/64", Cidr.subscriberBlock("2001:DB8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals("2001:db8::/64", Cidr.subscriberBlock("[2001:db8::1]"));
        assertEquals("203.0.113.7", Cidr.subscriberBlock("203.0.113.7"));
        assertEquals("203.0.113.7", Cidr.subscriberBlock("::ffff:203.0.113.7"));
        assertEquals("2001:db8:1:2::/64", new ClientInfo("2001:db8:1:2::9", "", false).limitKey());
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
