package latch.access;

import io.javalin.http.Context;
import latch.http.ApiError;

/**
 * Finds the token a request presents: an {@code Authorization: Bearer} header first, then {@code X-API-Key} (for
 * clients that cannot set Authorization), else the session cookie.
 */
public final class Credentials {
    public static final String SESSION_COOKIE = "latch_token";

    private Credentials() {}

    /** The presented token, or null when there is none. A malformed Authorization header is refused, not ignored. */
    public static String token(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            if (header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = header.substring(7).trim();
                if (!token.isEmpty()) {
                    return token;
                }
            }
            throw ApiError.invalidToken("The Authorization header must be 'Bearer <token>'.");
        }
        String apiKey = ctx.header("X-API-Key");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        return cookie == null || cookie.isEmpty() ? null : cookie;
    }
}
