package latch.session;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import latch.Settings.CookieSecurity;
import latch.access.Credentials;
import latch.http.ClientInfo;

import java.time.Clock;
import java.time.Duration;

/**
 * Sets and clears the {@code latch_token} cookie: HttpOnly, SameSite=Lax, Secure whenever the client is on HTTPS,
 * and scoped to COOKIE_DOMAIN when set so it reaches the apps on sibling subdomains for forward-auth.
 */
public final class SessionCookie {
    private final CookieSecurity security;
    private final Clock clock;
    private final String domain;

    public SessionCookie(CookieSecurity security, Clock clock, String domain) {
        this.security = security;
        this.clock = clock;
        this.domain = domain == null || domain.isEmpty() ? null : domain;
    }

    public void set(Context ctx, ClientInfo client, IssuedSession issued) {
        Duration left = Duration.between(clock.instant(), issued.expiresAt());
        long seconds = Math.max(0, left.getSeconds() + (left.getNano() > 0 ? 1 : 0));
        ctx.cookie(cookie(issued.token(), (int) Math.min(Integer.MAX_VALUE, seconds), client));
    }

    public void clear(Context ctx, ClientInfo client) {
        ctx.cookie(cookie("", 0, client));
    }

    private Cookie cookie(String value, int maxAge, ClientInfo client) {
        boolean secure = security == CookieSecurity.ALWAYS || (security == CookieSecurity.AUTO && client.https());
        return new Cookie(Credentials.SESSION_COOKIE, value, "/", maxAge, secure, true, domain, SameSite.LAX);
    }
}
