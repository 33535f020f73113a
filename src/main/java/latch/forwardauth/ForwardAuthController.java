package latch.forwardauth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import latch.access.Authenticator;
import latch.access.Credentials;
import latch.access.Principal;
import latch.forwardauth.ForwardAuthService.Decision;
import latch.forwardauth.ForwardAuthService.Target;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.PublicOrigin;
import latch.http.SecurityHeaders;
import latch.http.TrustedProxies;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The reverse-proxy endpoints, speaking the contract Authelia established so existing proxy snippets work:
 * {@code /api/authz/forward-auth} (Traefik, Caddy) and {@code /api/authz/auth-request} (nginx), plus the
 * sign-in page's check of where to return to.
 */
public final class ForwardAuthController {
    public static final String FORWARD_AUTH = "/api/authz/forward-auth";
    public static final String AUTH_REQUEST = "/api/authz/auth-request";

    record RedirectAnswer(String url) {}

    private final ForwardAuthService service;
    private final Authenticator authenticator;
    private final TrustedProxies proxies;
    private final RedirectTarget redirects;
    private final PublicOrigin origin;
    private final SecurityHeaders securityHeaders;

    public ForwardAuthController(ForwardAuthService service, Authenticator authenticator, TrustedProxies proxies,
                                 RedirectTarget redirects, PublicOrigin origin, SecurityHeaders securityHeaders) {
        this.service = service;
        this.authenticator = authenticator;
        this.proxies = proxies;
        this.redirects = redirects;
        this.origin = origin;
        this.securityHeaders = securityHeaders;
    }

    /** A proxy's question, as opposed to anything else sent to these paths (a 405 still gets every header). */
    public static boolean isProxyQuestion(Context ctx) {
        String path = ctx.path();
        return ctx.method() == HandlerType.GET && (path.equals(FORWARD_AUTH) || path.equals(AUTH_REQUEST));
    }

    public void forwardAuth(Context ctx) {
        ClientInfo client = trustedProxyClient(ctx);
        Target target = ForwardAuthService.fromForwarded(ctx.header("X-Forwarded-Method"), ctx.header("X-Forwarded-Proto"),
                ctx.header("X-Forwarded-Host"), ctx.header("X-Forwarded-Uri"), client.ip());
        Decision decision = service.decide(target, principal(ctx, client), () -> ownHost(ctx));
        if (decision.outcome() != Decision.Outcome.SIGN_IN) {
            answer(ctx, decision);
            return;
        }
        securityHeaders.apply(ctx);
        String login = loginUrl(ctx, target.url());
        if (isApiClient(ctx)) {
            throw signInFirst(login);
        }
        // 303 turns a refused POST into a GET of the sign-in page; 302 keeps GET/HEAD as they are.
        boolean read = target.method().equals("GET") || target.method().equals("HEAD");
        ctx.status(read ? 302 : 303).header("Location", login);
    }

    /** nginx turns a 401 into the redirect itself ({@code error_page 401 =302}), so the answer is always 401. */
    public void authRequest(Context ctx) {
        ClientInfo client = trustedProxyClient(ctx);
        Target target = ForwardAuthService.fromOriginalUrl(ctx.header("X-Original-Method"), ctx.header("X-Original-URL"),
                client.ip());
        Decision decision = service.decide(target, principal(ctx, client), () -> ownHost(ctx));
        if (decision.outcome() == Decision.Outcome.SIGN_IN) {
            securityHeaders.apply(ctx);
            throw signInFirst(loginUrl(ctx, target.url()));
        }
        answer(ctx, decision);
    }

    /** Where the sign-in page may send the browser after signing in: {@code rd} when it is safe, else "/". */
    public void redirect(Context ctx) {
        Json.send(ctx, new RedirectAnswer(redirects.safe(ctx.queryParam("rd"))));
    }

    /**
     * The visitor a trusted proxy asks about. Anyone else could name any target and client address: they have no
     * business asking.
     */
    private ClientInfo trustedProxyClient(Context ctx) {
        ClientInfo client = proxies.client(ctx);
        if (!client.viaProxy()) {
            securityHeaders.apply(ctx);
            throw ApiError.forbidden("untrusted_proxy",
                    "Only a reverse proxy listed in TRUSTED_PROXIES may ask for forward-auth decisions.");
        }
        return client;
    }

    /**
     * A pass carries only the identity headers: proxies copy the ones they are told to and drop the rest, so the
     * browser-only security headers would be bytes on every proxied request. A refusal reaches the browser as it
     * is, so it carries them all.
     */
    private void answer(Context ctx, Decision decision) {
        if (decision.outcome() == Decision.Outcome.FORBIDDEN) {
            securityHeaders.apply(ctx);
            throw ApiError.forbidden("forbidden", decision.reason());
        }
        decision.headers().forEach(ctx::header);
        ctx.status(200);
    }

    /**
     * The first valid one of: a Bearer token (session, OAuth or client token), an X-API-Key client token, the
     * session cookie. An invalid or revoked one counts as none, and the next is tried: an app's own Bearer token,
     * which Latch cannot verify, must not hide the visitor's Latch cookie. Nothing valid means anonymous, so the
     * visitor is sent to sign in. Other Authorization schemes (an app's own Basic auth) are ignored.
     */
    private Principal principal(Context ctx, ClientInfo client) {
        for (String token : Credentials.presented(ctx)) {
            try {
                return authenticator.authenticate(token, () -> client);
            } catch (ApiError e) {
                // not a valid Latch credential: try the next one
            }
        }
        return null;
    }

    private static boolean isApiClient(Context ctx) {
        String accept = ctx.header("Accept");
        return "XMLHttpRequest".equalsIgnoreCase(ctx.header("X-Requested-With"))
                || accept == null || !accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    private String loginUrl(Context ctx, String returnTo) {
        return origin.of(ctx) + "/login?rd=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    }

    private static ApiError signInFirst(String login) {
        return new ApiError(401, "unauthorized", "Sign in first.",
                Map.of("WWW-Authenticate", "Bearer realm=\"latch\"", "Location", login));
    }

    /** The host this request reached Latch by, without port (proxies may pass the app's Host on, hence LATCH_PUBLIC_URL). */
    private static String ownHost(Context ctx) {
        String host = ctx.host();
        return host == null ? "" : ForwardAuthService.hostOf("http://" + host);
    }
}
