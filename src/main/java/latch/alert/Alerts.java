package latch.alert;

/**
 * How other features flag an anomaly. Raising never fails the request that noticed it; an identical open alert is
 * counted again rather than repeated. Nothing secret goes in: no token, no password, no link.
 */
public interface Alerts {
    /**
     * @param userId the account concerned, or null
     * @param source the client address or network, or what the anomaly came from (an issuer); may be null
     * @param detail a short sentence, the same for the same anomaly so that repeats coalesce
     */
    void raise(AlertKind kind, Long userId, String source, String detail);
}
