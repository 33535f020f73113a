package latch.alert;

import latch.http.ClientInfo;

/** Told of every sign-in and every failed password, to spot bursts of failures and sign-ins from new networks. */
public interface SignInWatch {
    /** A user proved who they are and got a session or grant. */
    void signedIn(long userId, String username, ClientInfo client);

    /** A password sign-in failed; {@code userId} null when no such account exists. */
    void signInFailed(Long userId, String username, ClientInfo client);
}
