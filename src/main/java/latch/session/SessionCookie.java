package latch.session;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import latch.access.Credentials;
import latch.http.ClientInfo;
import latch.http.CookieSettings;

import java.time.Clock;
import java.time.Duration;

/**
 * Sets and clears the {@code latch_token} cookie: HttpOnly, SameSite=Lax, Secure whenever the client is on HTTPS,
 * and scoped to COOKIE_DOMAIN when set so it reaches the apps on sibling subdomains for forward-auth.
 */
public final class SessionCookie {
    private final CookieSettings settings;
    private final Clock clock;

    public SessionCookie(CookieSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
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
        return new Cookie(Credentials.SESSION_COOKIE, value, "/", maxAge, settings.secure(client), true, settings.domainOrNull(),
                SameSite.LAX);
    }
}
