package latch.clienttoken;

import io.javalin.http.Context;
import latch.access.ScopeCatalog;
import latch.access.AccessGuard;
import latch.http.ApiError;
import latch.http.Json;
import latch.http.TrustedProxies;

import java.util.List;

/** HTTP for client API tokens: mine (tokens scopes) and any user's (admin scopes). */
public final class ClientTokenController {
    record CreateRequest(String name, List<String> scopes, Long expiresInSeconds, List<String> networks) {}

    /** The secret is in this answer only; it is never shown again. */
    record Created(String id, String token, String name, List<String> scopes, String expiresAt, List<String> networks) {}

    record TokensResponse(List<ClientTokenView> tokens) {}

    private final ClientTokenService tokens;
    private final TrustedProxies proxies;

    public ClientTokenController(ClientTokenService tokens, TrustedProxies proxies) {
        this.tokens = tokens;
        this.proxies = proxies;
    }

    public void create(Context ctx) {
        var req = Json.body(ctx, CreateRequest.class);
        var minted = tokens.create(AccessGuard.principal(ctx), req.name(), req.scopes(), req.expiresInSeconds(), req.networks(),
                proxies.client(ctx));
        Json.send(ctx.status(201), created(minted));
    }

    public void list(Context ctx) {
        Json.send(ctx, new TokensResponse(tokens.list(AccessGuard.principal(ctx).user().id())));
    }

    public void revoke(Context ctx) {
        var me = AccessGuard.principal(ctx);
        tokens.revoke(me, me.user().id(), ctx.pathParam("id"), proxies.client(ctx));
        ctx.status(204);
    }

    public void regenerate(Context ctx) {
        var me = AccessGuard.principal(ctx);
        Json.send(ctx, created(tokens.regenerate(me, me.user().id(), ctx.pathParam("id"), proxies.client(ctx))));
    }

    public void listForUser(Context ctx) {
        Json.send(ctx, new TokensResponse(tokens.listFor(AccessGuard.principal(ctx), userId(ctx))));
    }

    public void revokeForUser(Context ctx) {
        tokens.revoke(AccessGuard.principal(ctx), userId(ctx), ctx.pathParam("tokenId"), proxies.client(ctx));
        ctx.status(204);
    }

    static Created created(ClientTokenService.Minted minted) {
        var t = minted.token();
        var view = ClientTokenService.view(t, t.createdAt());
        return new Created(t.id(), minted.secret(), t.name(), ScopeCatalog.sorted(t.scopes()), view.expiresAt(), view.networks());
    }

    private static long userId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("There is no user with that id.");
        }
    }
}
