package latch.access;

import latch.http.ClientInfo;

/** Turns a presented credential into a {@link Principal}, or throws a 401 {@code ApiError}. */
public interface Authenticator {
    Principal authenticate(String token, ClientInfo client);
}
