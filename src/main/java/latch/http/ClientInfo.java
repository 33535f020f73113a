package latch.http;

/** Who is on the other end of a request, as far as Latch can trust it. */
public record ClientInfo(String ip, String userAgent, boolean https) {
    private static final int MAX_USER_AGENT = 256;

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
