package latch.recovery;

import java.time.Duration;

/** What a one-time link is for, and the page it opens: the secret rides in the fragment, which never reaches a server log. */
public enum LinkPurpose {
    /** Signs its user in once: the operator's way in when nothing else works. */
    LOGIN("login", "/login#login_token="),
    /** Lets its user choose a new password once. */
    RESET("reset", "/reset#token=");

    private final String wireName;
    private final String page;

    LinkPurpose(String wireName, String page) {
        this.wireName = wireName;
        this.page = page;
    }

    public String wireName() {
        return wireName;
    }

    /** The link for {@code secret} at {@code origin} (such as https://auth.example.com, no trailing slash). */
    String url(String origin, String secret) {
        return origin + page + secret;
    }

    Duration ttl(RecoverySettings settings) {
        return this == LOGIN ? settings.loginLinkTtl() : settings.resetLinkTtl();
    }
}
