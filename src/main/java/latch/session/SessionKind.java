package latch.session;

import java.util.Locale;

/** A browser/API sign-in with a session token, or an OAuth grant whose refresh tokens rotate. */
public enum SessionKind {
    BROWSER, OAUTH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SessionKind parse(String value) {
        return "oauth".equals(value) ? OAUTH : BROWSER;
    }
}
