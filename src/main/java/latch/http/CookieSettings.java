package latch.http;

/** The flags of Latch's cookies. {@code domain} is COOKIE_DOMAIN, or empty for host-only cookies. */
public record CookieSettings(Security security, String domain) {
    /** When cookies carry the {@code Secure} flag. */
    public enum Security { AUTO, ALWAYS, NEVER }

    /** The cookie's Domain attribute, or null for a host-only cookie. */
    public String domainOrNull() {
        return domain == null || domain.isEmpty() ? null : domain;
    }

    /** Whether a cookie sent to this client carries {@code Secure}. */
    public boolean secure(ClientInfo client) {
        return security == Security.ALWAYS || (security == Security.AUTO && client.https());
    }
}
