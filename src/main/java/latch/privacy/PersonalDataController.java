package latch.privacy;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.TrustedProxies;
import latch.session.SignedIn;

/** HTTP for a person's own data: {@code GET /api/auth/me/export} and {@code DELETE /api/auth/me}. */
public final class PersonalDataController {
    record EraseRequest(String currentPassword) {}

    private final PersonalData data;
    private final SignedIn signedIn;
    private final TrustedProxies proxies;

    public PersonalDataController(PersonalData data, SignedIn signedIn, TrustedProxies proxies) {
        this.data = data;
        this.signedIn = signedIn;
        this.proxies = proxies;
    }

    /** One JSON document, offered as a file; no cache may keep a copy. */
    public void export(Context ctx) {
        var export = data.export(AccessGuard.principal(ctx), proxies.client(ctx));
        ctx.header("Content-Disposition", "attachment; filename=\"latch-my-data.json\"");
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, export);
    }

    /** The body may be absent for an account without a password (a fresh sign-in is the proof then). */
    public void erase(Context ctx) {
        String password = null;
        if (ctx.contentLength() > 0) {
            password = Json.body(ctx, EraseRequest.class).currentPassword();
        }
        ClientInfo client = proxies.client(ctx);
        data.erase(AccessGuard.principal(ctx), password, client);
        signedIn.clear(ctx, client);
        ctx.status(204);
    }
}
