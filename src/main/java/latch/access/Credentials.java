package latch.access;

import io.javalin.http.Context;
import latch.http.ApiError;

import java.util.ArrayList;
import java.util.List;

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
            String bearer = bearer(header);
            if (bearer == null) {
                throw ApiError.invalidToken("The Authorization header must be 'Bearer <token>'.");
            }
            return bearer; // first in order: the others need not be read
        }
        List<String> tokens = presented(ctx);
        return tokens.isEmpty() ? null : tokens.get(0);
    }

    /** Whether {@link #token} takes its token from a header (Authorization, X-API-Key) rather than the cookie. */
    public static boolean tokenInHeader(Context ctx) {
        String header = ctx.header("Authorization");
        String apiKey = ctx.header("X-API-Key");
        return (header != null && !header.isBlank()) || (apiKey != null && !apiKey.isBlank());
    }

    /**
     * Like {@link #token}, but an Authorization header of another scheme is passed over rather than refused: for
     * sign-in and sign-out, which must keep working behind a proxy that adds its own Basic credentials.
     */
    public static String tokenIfAny(Context ctx) {
        List<String> tokens = presented(ctx);
        return tokens.isEmpty() ? null : tokens.get(0);
    }

    /**
     * Every token the request carries, in the order they count: the Bearer token, the X-API-Key, the cookie.
     * Forward-auth tries them in turn, as an app's own Bearer token must not hide the visitor's Latch cookie.
     */
    public static List<String> presented(Context ctx) {
        List<String> tokens = inHeaders(ctx);
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie != null && !cookie.isEmpty()) {
            tokens.add(cookie);
        }
        return tokens;
    }

    /** The tokens in headers, the Bearer token then the X-API-Key: those a browser never attaches on its own. */
    public static List<String> inHeaders(Context ctx) {
        var tokens = new ArrayList<String>(3);
        String bearer = bearer(ctx.header("Authorization"));
        if (bearer != null) {
            tokens.add(bearer);
        }
        String apiKey = ctx.header("X-API-Key");
        if (apiKey != null && !apiKey.isBlank()) {
            tokens.add(apiKey.trim());
        }
        return tokens;
    }

    /** The token of a "Bearer <token>" header; null for another scheme or an empty token. */
    private static String bearer(String header) {
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
