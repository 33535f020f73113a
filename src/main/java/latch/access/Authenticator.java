package latch.access;

/** Turns a presented credential into a {@link Principal}, or throws a 401 {@code ApiError}. */
public interface Authenticator {
    Principal authenticate(String token);
}
