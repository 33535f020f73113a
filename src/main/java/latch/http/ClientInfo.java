package latch.http;

/**
 * Who is on the other end of a request, as far as Latch can trust it. {@code viaProxy}: the socket peer is one of
 * {@code TRUSTED_PROXIES}, so {@code ip} and {@code https} came from its forwarded headers.
 */
public record ClientInfo(String ip, String userAgent, boolean https, boolean viaProxy) {
    private static final int MAX_USER_AGENT = 256;

    /** A client that reached Latch directly. */
    public ClientInfo(String ip, String userAgent, boolean https) {
        this(ip, userAgent, https, false);
    }

    public ClientInfo {
        if (userAgent == null) {
            userAgent = "";
        } else if (userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
    }

    /** What per-client rate limits count against: the IPv4 address, or the IPv6 address's /64. */
    public String limitKey() {
        return Cidr.subscriberBlock(ip);
    }
}
