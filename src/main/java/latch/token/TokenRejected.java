package latch.token;

/** A token that must not be trusted; the reason is for logs and tests, never shown to clients in detail. */
public final class TokenRejected extends Exception {
    public TokenRejected(String reason) {
        super(reason, null, false, false);
    }
}
