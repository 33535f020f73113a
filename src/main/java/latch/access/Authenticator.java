package latch.access;

import latch.http.ClientInfo;

import java.util.function.Supplier;

/**
 * Turns a presented credential into a {@link Principal}, or throws a 401 {@code ApiError}. The client is asked
 * for only by credentials that depend on where the request comes from (a client token limited to networks).
 */
public interface Authenticator {
    Principal authenticate(String token, Supplier<ClientInfo> client);
}
