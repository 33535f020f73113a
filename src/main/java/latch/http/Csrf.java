package latch.http;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import io.javalin.security.RouteRole;
import latch.token.RandomSecrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Set;
import java.util.function.Predicate;

/**
 * CSRF defence (OWASP cheat sheet): a signed double-submit cookie {@code latch_csrf} that browser code echoes in
 * {@code X-CSRF-Token}, plus a refusal of cross-site {@code Origin} / {@code Sec-Fetch-Site} on unsafe methods.
 * Requests authenticated by a valid Latch credential in a header are exempt, and so are requests with no cookie,
 * Origin or Sec-Fetch-Site: only a browser can be tricked into a cross-site request, and a browser always sends one
 * of those. A header merely present exempts nothing: browsers attach Basic credentials on their own.
 */
public final class Csrf {
    public static final String COOKIE = "latch_csrf";
    public static final String HEADER = "X-CSRF-Token";
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    /** Marks a route that never reads cookies (e.g. the OAuth token endpoint), so CSRF cannot apply. */
    public static final RouteRole EXEMPT = new RouteRole() {
        @Override
        public String toString() {
            return "csrf-exempt";
        }
    };

    /**
     * Marks a route whose browser callers cannot send the token (the EmulatorJS netplay client posts to
     * {@code /api/sfu/token} with only its cookies) and whose answer is all it does: another site could make a
     * browser call it but never read what it answers. The Origin and Sec-Fetch-Site checks still apply, and a
     * cookie-carrying request must send one of them, as every current browser does.
     */
    public static final RouteRole SAME_ORIGIN = new RouteRole() {
        @Override
        public String toString() {
            return "csrf-same-origin";
        }
    };

    private final SecretKeySpec key;
    private final boolean enabled;
    private final TrustedProxies proxies;
    private final CookieSettings cookies;
    private final Predicate<Context> credentialInHeader;

    /**
     * {@code key}: the instance's CSRF secret, a key of its own that signs nothing else. {@code credentialInHeader}:
     * whether a valid Latch credential in a header (not the cookie) authenticates the request.
     */
    public Csrf(byte[] key, boolean enabled, TrustedProxies proxies, CookieSettings cookies, Predicate<Context> credentialInHeader) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.enabled = enabled;
        this.proxies = proxies;
        this.cookies = cookies;
        this.credentialInHeader = credentialInHeader;
    }

    /** Run for every matched route, after the access check. */
    public void check(Context ctx) {
        if (!enabled || SAFE.contains(ctx.method()) || ctx.routeRoles().contains(EXEMPT)) {
            return;
        }
        if (credentialInHeader.test(ctx)) {
            return; // a valid credential a browser never attaches on its own cannot be ridden by another site
        }
        String fetchSite = ctx.header("Sec-Fetch-Site");
        String origin = ctx.header("Origin");
        if ("cross-site".equalsIgnoreCase(fetchSite)) {
            throw refused("This request came from another site.");
        }
        if (origin != null && !sameOrigin(ctx, origin)) {
            throw refused("This request came from another origin.");
        }
        boolean browser = origin != null || fetchSite != null || ctx.header("Cookie") != null;
        if (!browser) {
            return;
        }
        if (ctx.routeRoles().contains(SAME_ORIGIN)) {
            if (origin == null && fetchSite == null) {
                throw refused("This request says neither where it came from (Origin) nor how (Sec-Fetch-Site).");
            }
            return; // checked above: same site, same origin
        }
        String cookie = ctx.cookie(COOKIE);
        String header = ctx.header(HEADER);
        if (cookie == null || header == null || !RandomSecrets.constantTimeEquals(cookie, header) || !valid(cookie)) {
            throw refused("Missing or wrong CSRF token: send the latch_csrf cookie's value in the X-CSRF-Token header.");
        }
    }

    /** Makes sure the browser holds a valid CSRF cookie; returns its value. */
    public String ensureCookie(Context ctx) {
        String current = ctx.cookie(COOKIE);
        if (current != null && valid(current)) {
            return current;
        }
        String nonce = RandomSecrets.urlSafe(18);
        String token = nonce + "." + sign(nonce);
        // Readable by our own scripts (that is the point of double-submit); Strict keeps it off cross-site requests.
        ctx.cookie(new Cookie(COOKIE, token, "/", -1, cookies.secure(proxies.client(ctx)), false, cookies.domainOrNull(),
                SameSite.STRICT));
        return token;
    }

    public boolean enabled() {
        return enabled;
    }

    boolean valid(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || token.length() > 200) {
            return false;
        }
        return RandomSecrets.constantTimeEquals(token.substring(dot + 1), sign(token.substring(0, dot)));
    }

    private String sign(String nonce) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, nonce));
    }

    private static byte[] hmac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private boolean sameOrigin(Context ctx, String origin) {
        String scheme = proxies.client(ctx).https() ? "https" : "http";
        String host = ctx.header("X-Forwarded-Host") != null && proxies.isTrusted(ctx.req().getRemoteAddr())
                ? ctx.header("X-Forwarded-Host") : ctx.host();
        return origin.equalsIgnoreCase(scheme + "://" + host);
    }

    private static ApiError refused(String message) {
        return new ApiError(403, "csrf_refused", message);
    }
}
