package latch.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    private final TrustedProxies proxies = new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1")));

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
