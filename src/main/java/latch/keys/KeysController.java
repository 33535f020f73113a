package latch.keys;

import io.javalin.http.Context;
import latch.http.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The published keys: the JWKS for anyone, the list and the rotation for admins. */
public final class KeysController {
    record RotateRequest(Boolean immediate) {}

    /** A key as admins see it: {@code state} is next, active, retiring or retired; times ISO-8601, null when not set. */
    record KeyView(String kid, String algorithm, String state, String createdAt, String activeFrom, String retiresAt,
                   String withdrawnAt) {
        static KeyView of(PublishedKeys.KeyInfo k) {
            return new KeyView(k.kid(), k.algorithm(), k.state().name().toLowerCase(Locale.ROOT), iso(k.createdAt()),
                    iso(k.activeFrom()), iso(k.retiresAt()), iso(k.withdrawnAt()));
        }

        private static String iso(Instant t) {
            return t == null ? null : t.toString();
        }
    }

    record KeysAnswer(List<KeyView> keys) {}

    private final PublishedKeys keys;

    public KeysController(PublishedKeys keys) {
        this.keys = keys;
    }

    /** {@code GET /.well-known/jwks.json}: cacheable for one rotation lead, so no verifier meets a kid it has not seen. */
    public void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=" + PublishedKeys.PUBLISH_AHEAD.toSeconds());
        ctx.contentType("application/json");
        ctx.result(keys.jwksJson().getBytes(StandardCharsets.UTF_8));
    }

    public void list(Context ctx) {
        Json.send(ctx, new KeysAnswer(keys.list().stream().map(KeyView::of).toList()));
    }

    /** A new key; {@code {"immediate": true}} makes it sign at once (an emergency). */
    public void rotate(Context ctx) {
        var req = ctx.contentLength() == 0 ? new RotateRequest(false) : Json.body(ctx, RotateRequest.class);
        Json.send(ctx.status(201), KeyView.of(keys.rotate(Boolean.TRUE.equals(req.immediate()))));
    }

    /** Withdraws a key at once, for a key that may be compromised. */
    public void retire(Context ctx) {
        Json.send(ctx, KeyView.of(keys.retire(ctx.pathParam("kid"))));
    }
}
