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
        return apiKeyOrCookie(ctx);
    }

    /**
     * Like {@link #token}, but an Authorization header of another scheme is passed over rather than refused: for
     * sign-in and sign-out, which must keep working behind a proxy that adds its own Basic credentials.
     */
    public static String tokenIfAny(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            if (!token.isEmpty()) {
                return token;
            }
        }
        return apiKeyOrCookie(ctx);
    }

    private static String apiKeyOrCookie(Context ctx) {
        String apiKey = ctx.header("X-API-Key");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        return cookie == null || cookie.isEmpty() ? null : cookie;
    }
}
