package latch.recovery;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.Params;
import latch.http.PublicOrigin;
import latch.http.TrustedProxies;
import latch.session.SignedIn;

/** HTTP for one-time links (signing in, resetting a password), the forgot-password form, and an admin's reset link. */
public final class RecoveryController {
    record LinkSignInRequest(String token) {}

    record ResetRequest(String token, String newPassword) {}

    record ResetDone(String username) {}

    record ForgotRequest(String usernameOrEmail) {}

    record ForgotAccepted(String message) {}

    record ForgotStatus(boolean resetByMail) {}

    record ResetLinkCreated(String url, String expiresAt) {}

    /** One answer for every accepted request, whether or not an account matched. */
    private static final ForgotAccepted ACCEPTED = new ForgotAccepted("If an account with an email address matches,"
            + " a reset link is on its way there. It works once and expires soon; check your spam folder too.");

    private final RecoveryService recovery;
    private final ResetMail mail;
    private final SignedIn signedIn;
    private final TrustedProxies proxies;
    private final PublicOrigin origin;

    public RecoveryController(RecoveryService recovery, ResetMail mail, SignedIn signedIn, TrustedProxies proxies,
                              PublicOrigin origin) {
        this.recovery = recovery;
        this.mail = mail;
        this.signedIn = signedIn;
        this.proxies = proxies;
        this.origin = origin;
    }

    public void signInWithLink(Context ctx) {
        var req = Json.body(ctx, LinkSignInRequest.class);
        ClientInfo client = proxies.client(ctx);
        signedIn.answer(ctx, client, recovery.signInWithLink(Json.required(req.token(), "token"), client));
    }

    public void resetPassword(Context ctx) {
        var req = Json.body(ctx, ResetRequest.class);
        var user = recovery.resetPassword(Json.required(req.token(), "token"), Json.required(req.newPassword(), "new_password"),
                proxies.client(ctx));
        Json.send(ctx, new ResetDone(user.username()));
    }

    public void forgotStatus(Context ctx) {
        Json.send(ctx, new ForgotStatus(mail.available()));
    }

    public void forgotPassword(Context ctx) {
        var req = Json.body(ctx, ForgotRequest.class);
        mail.request(Json.required(req.usernameOrEmail(), "username_or_email"), proxies.client(ctx));
        Json.send(ctx.status(202), ACCEPTED);
    }

    /** An admin's reset link for someone, to hand over another way; it points where the admin reached Latch. */
    public void createResetLink(Context ctx) {
        var link = recovery.resetLink(AccessGuard.principal(ctx), Params.id(ctx, "There is no user with that id."),
                proxies.client(ctx));
        Json.send(ctx.status(201), new ResetLinkCreated(link.url(origin.of(ctx)), link.expiresAt().toString()));
    }
}
