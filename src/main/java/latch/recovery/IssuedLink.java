package latch.recovery;

import java.time.Instant;

/** A one-time link just made: its secret, never stored, and when it stops working. */
public record IssuedLink(LinkPurpose purpose, String secret, Instant expiresAt) {
    /** The whole link at {@code origin} (LATCH_PUBLIC_URL, or where the admin reached Latch). */
    public String url(String origin) {
        return purpose.url(origin, secret);
    }

    @Override
    public String toString() {
        return "IssuedLink[" + purpose.wireName() + ", expires " + expiresAt + "]";
    }
}
