package latch.session;

import latch.http.ClientInfo;

/**
 * Told about every refused password sign-in, for the operator's log: a line fail2ban can match, apart from the
 * audit rows. {@code username} is what the client sent (it may name nobody).
 */
@FunctionalInterface
public interface FailedSignIns {
    void failed(String username, ClientInfo client);

    FailedSignIns NONE = (username, client) -> {};
}
