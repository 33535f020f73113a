package latch.oidc;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import latch.access.AccessGuard;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.http.CookieSettings;
import latch.http.ErrorMapper;
import latch.http.Json;
import latch.http.TrustedProxies;
import latch.session.SessionCookie;

import java.util.Map;

/** HTTP for single sign-on: the start and the provider's return (browser navigations), and linked sign-ins. */
public final class OidcController {
    public static final String START_PATH = "/api/login/openid";
    /**
     * The short-lived cookie that binds a sign-in to the browser that started it: the PKCE verifier, sent back
     * only to the callback (its path), HttpOnly, and SameSite=Lax so the provider's top-level redirect carries it.
     */
    static final String BINDING_COOKIE = "latch_oidc";

    private final OidcService oidc;
    private final SessionCookie sessionCookie;
    private final CookieSettings cookies;
    private final TrustedProxies proxies;
    private final SignInOptions options;

    public OidcController(OidcService oidc, SessionCookie sessionCookie, CookieSettings cookies, TrustedProxies proxies,
                          SignInOptions options) {
        this.oidc = oidc;
        this.sessionCookie = sessionCookie;
        this.cookies = cookies;
        this.proxies = proxies;
        this.options = options;
    }

    /** GET /api/login/openid?rd=...: off to the provider. */
    public void start(Context ctx) {
        ErrorMapper.answerAsPage(ctx);
        var started = oidc.start(ctx.queryParam("rd"), null);
        bind(ctx, started.browserBinding(), proxies.client(ctx));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(started.authorization().toString(), io.javalin.http.HttpStatus.FOUND);
    }

    /** GET /api/oauth/openid: the provider sends the browser back here with a code (or an error) and the state. */
    public void callback(Context ctx) {
        ErrorMapper.answerAsPage(ctx);
        ClientInfo client = proxies.client(ctx);
        String binding = ctx.cookie(BINDING_COOKIE);
        // Spent whatever happens next: a state is used once.
        ctx.cookie(bindingCookie("", 0, client));
        var finished = oidc.finish(ctx.queryParam("state"), ctx.queryParam("code"), ctx.queryParam("error"), binding, client);
        if (finished.session() != null) {
            sessionCookie.set(ctx, client, finished.session());
        }
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(finished.returnTo(), io.javalin.http.HttpStatus.FOUND);
    }

    /** POST /api/auth/me/identities/openid: the address that links the provider's account to the caller's. */
    public void startLink(Context ctx) {
        var principal = AccessGuard.principal(ctx);
        var started = oidc.start(null, principal.user().id());
        bind(ctx, started.browserBinding(), proxies.client(ctx));
        Json.send(ctx, Map.of("url", started.authorization().toString()));
    }

    public void identities(Context ctx) {
        Json.send(ctx, Map.of("identities", oidc.identities(AccessGuard.principal(ctx).user().id())));
    }

    public void unlink(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("There is no such linked sign-in on your account.");
        }
        oidc.unlink(AccessGuard.principal(ctx), id, proxies.client(ctx));
        ctx.status(204);
    }

    /** GET /api/auth/config: public, what the sign-in page shows. */
    public void options(Context ctx) {
        Json.send(ctx, options);
    }

    private void bind(Context ctx, String verifier, ClientInfo client) {
        ctx.cookie(bindingCookie(verifier, (int) OidcService.ATTEMPT_TTL.getSeconds(), client));
    }

    private Cookie bindingCookie(String value, int maxAge, ClientInfo client) {
        return new Cookie(BINDING_COOKIE, value, OidcSettings.CALLBACK_PATH, maxAge, cookies.secure(client), true, null, SameSite.LAX);
    }
}
