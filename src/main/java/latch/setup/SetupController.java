package latch.setup;

import io.javalin.http.Context;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.TrustedProxies;
import latch.session.SignedIn;

/** HTTP for first-run setup. */
public final class SetupController {
    record StatusResponse(boolean setupRequired) {}

    record AdminRequest(String username, String password, String setupCode) {}

    private final SetupService setup;
    private final SignedIn signedIn;
    private final TrustedProxies proxies;

    public SetupController(SetupService setup, SignedIn signedIn, TrustedProxies proxies) {
        this.setup = setup;
        this.signedIn = signedIn;
        this.proxies = proxies;
    }

    public void status(Context ctx) {
        Json.send(ctx, new StatusResponse(setup.setupRequired()));
    }

    public void createAdmin(Context ctx) {
        var req = Json.body(ctx, AdminRequest.class);
        ClientInfo client = proxies.client(ctx);
        var issued = setup.createAdmin(Json.required(req.username(), "username"), Json.required(req.password(), "password"),
                Json.required(req.setupCode(), "setup_code"), client);
        ctx.status(201);
        signedIn.answer(ctx, client, issued);
    }
}
