package latch.sfu;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.Json;
import latch.http.TrustedProxies;

/** The netplay endpoints: minting for people and apps, verifying for the SFU (behind {@link SfuSecret}). */
public final class SfuController {
    record MintRequest(String tokenType) {}

    record VerifyRequest(String token, Boolean consume) {}

    private final SfuService sfu;
    private final TrustedProxies proxies;

    public SfuController(SfuService sfu, TrustedProxies proxies) {
        this.sfu = sfu;
        this.proxies = proxies;
    }

    /** {@code POST /api/sfu/token}: an empty body asks for a read token, as the ROM manager's endpoint does. */
    public void mint(Context ctx) {
        var req = ctx.contentLength() == 0 ? new MintRequest(null) : Json.body(ctx, MintRequest.class);
        Json.send(ctx, sfu.mint(AccessGuard.principal(ctx), req.tokenType(), proxies.client(ctx)));
    }

    /** {@code POST /api/sfu/internal/verify}: {@code consume} defaults to true, as the ROM manager's does. */
    public void verify(Context ctx) {
        var req = Json.body(ctx, VerifyRequest.class);
        Json.send(ctx, sfu.verify(Json.required(req.token(), "token"), !Boolean.FALSE.equals(req.consume())));
    }
}
