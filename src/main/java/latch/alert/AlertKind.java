package latch.alert;

import java.util.Locale;

/** The anomalies Latch flags for an admin. The wire name is the lower-case enum name, e.g. {@code new_network}. */
public enum AlertKind {
    /** A netplay write token presented again after it was used up. */
    WRITE_TOKEN_REPLAYED,
    /** A rotated OAuth refresh token presented again (RFC 9700 §4.14: stolen, the grant was ended). */
    REFRESH_TOKEN_REUSED,
    /** Many failed password sign-ins against one account, from anywhere. */
    SIGN_IN_FAILURES_FOR_ACCOUNT,
    /** Many failed password sign-ins from one client, whichever accounts. */
    SIGN_IN_FAILURES_FROM_CLIENT,
    /** A client token presented from outside the networks it is bound to. */
    CLIENT_TOKEN_OUTSIDE_NETWORKS,
    /** A sign-in from a network this user never signed in from. */
    NEW_NETWORK,
    /** A netplay token from an issuer this instance does not trust, sent to verify. */
    UNKNOWN_ISSUER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
