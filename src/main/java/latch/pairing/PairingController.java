package latch.pairing;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.Json;
import latch.http.PublicOrigin;
import latch.http.TrustedProxies;

import java.util.List;

/** HTTP for pairing codes and the device authorization flow. */
public final class PairingController {
    record ExchangeRequest(String code) {}

    record DeviceInitRequest(String clientName, List<String> scopes) {}

    record DeviceTokenRequest(String deviceCode) {}

    record DecisionRequest(String userCode, String name, List<String> scopes, Long expiresInSeconds) {}

    private final PairingService pairing;
    private final TrustedProxies proxies;
    private final PublicOrigin origin;

    public PairingController(PairingService pairing, TrustedProxies proxies, PublicOrigin origin) {
        this.pairing = pairing;
        this.proxies = proxies;
        this.origin = origin;
    }

    public void pairCode(Context ctx) {
        Json.send(ctx, pairing.pairCode(AccessGuard.principal(ctx), ctx.pathParam("id")));
    }

    public void exchange(Context ctx) {
        var req = Json.body(ctx, ExchangeRequest.class);
        Json.send(ctx, pairing.exchange(Json.required(req.code(), "code"), proxies.client(ctx)));
    }

    public void init(Context ctx) {
        var req = Json.body(ctx, DeviceInitRequest.class);
        Json.send(ctx, pairing.startDevice(req.clientName(), req.scopes(), origin.of(ctx), proxies.client(ctx)));
    }

    public void token(Context ctx) {
        var req = Json.body(ctx, DeviceTokenRequest.class);
        Json.send(ctx, pairing.poll(req.deviceCode(), proxies.client(ctx)));
    }

    public void describe(Context ctx) {
        Json.send(ctx, pairing.describe(AccessGuard.principal(ctx), ctx.queryParam("user_code"), proxies.client(ctx)));
    }

    public void approve(Context ctx) {
        var req = Json.body(ctx, DecisionRequest.class);
        pairing.approve(AccessGuard.principal(ctx), Json.required(req.userCode(), "user_code"), req.name(), req.scopes(),
                req.expiresInSeconds(), proxies.client(ctx));
        ctx.status(204);
    }

    public void deny(Context ctx) {
        var req = Json.body(ctx, DecisionRequest.class);
        pairing.deny(AccessGuard.principal(ctx), Json.required(req.userCode(), "user_code"), proxies.client(ctx));
        ctx.status(204);
    }
}
