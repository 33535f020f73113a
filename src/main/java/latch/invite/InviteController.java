package latch.invite;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.PublicOrigin;
import latch.http.TrustedProxies;
import latch.session.SignedIn;
import latch.user.Role;
import latch.account.AccountRules;

import java.util.List;
import java.util.stream.Collectors;

/** HTTP for invitations (admin) and registration (public). */
public final class InviteController {
    record CreateRequest(String role, String name, Long expiresInSeconds, Integer maxUses) {}

    record Created(String id, String token, String url, String role, String name, String expiresAt, int maxUses) {}

    record InviteView(String id, String role, String name, String state, String createdAt, String expiresAt, int maxUses,
                      int uses, String revokedAt) {}

    record InvitesResponse(List<InviteView> invites) {}

    record RegisterRequest(String invite, String username, String password) {}

    record RegistrationStatus(boolean openRegistration) {}

    record CheckRequest(String invite) {}

    record CheckAnswer(boolean usable, String role) {}

    private final InviteService invites;
    private final SignedIn signedIn;
    private final TrustedProxies proxies;
    private final PublicOrigin origin;

    public InviteController(InviteService invites, SignedIn signedIn, TrustedProxies proxies, PublicOrigin origin) {
        this.invites = invites;
        this.signedIn = signedIn;
        this.proxies = proxies;
        this.origin = origin;
    }

    public void create(Context ctx) {
        var req = Json.body(ctx, CreateRequest.class);
        Role role = req.role() == null ? Role.VIEWER : AccountRules.parseRole(req.role());
        var created = invites.create(AccessGuard.principal(ctx), role, req.name(), req.expiresInSeconds(), req.maxUses(),
                proxies.client(ctx));
        var i = created.invite();
        // The token travels in the fragment, which browsers never send to servers or put in Referer headers.
        String url = origin.of(ctx) + "/register#invite=" + created.token();
        Json.send(ctx.status(201), new Created(i.id(), created.token(), url, i.role().wireName(), i.name(),
                i.expiresAt().toString(), i.maxUses()));
    }

    public void list(Context ctx) {
        Json.send(ctx, new InvitesResponse(invites.list().stream().map(listed -> {
            var i = listed.invite();
            return new InviteView(i.id(), i.role().wireName(), i.name(), listed.state().wireName(), i.createdAt().toString(),
                    i.expiresAt().toString(), i.maxUses(), i.uses(), i.revokedAt() == null ? null : i.revokedAt().toString());
        }).collect(Collectors.toList())));
    }

    public void revoke(Context ctx) {
        invites.revoke(AccessGuard.principal(ctx), ctx.pathParam("id"), proxies.client(ctx));
        ctx.status(204);
    }

    public void status(Context ctx) {
        Json.send(ctx, new RegistrationStatus(invites.openRegistration()));
    }

    /** A POST, so the token stays out of request lines and proxy logs, as the fragment keeps it out of the page's URL. */
    public void check(Context ctx) {
        var req = Json.body(ctx, CheckRequest.class);
        var answer = invites.check(Json.required(req.invite(), "invite"), proxies.client(ctx));
        Json.send(ctx, new CheckAnswer(answer.usable(), answer.role() == null ? null : answer.role().wireName()));
    }

    public void register(Context ctx) {
        var req = Json.body(ctx, RegisterRequest.class);
        ClientInfo client = proxies.client(ctx);
        var issued = invites.register(req.invite(), Json.required(req.username(), "username"),
                Json.required(req.password(), "password"), client);
        ctx.status(201);
        signedIn.answer(ctx, client, issued);
    }
}
