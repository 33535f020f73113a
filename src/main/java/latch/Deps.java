package latch;

import latch.access.AccessGuard;
import latch.account.AccountController;
import latch.audit.AuditController;
import latch.clienttoken.ClientTokenController;
import latch.db.Database;
import latch.forwardauth.ForwardAuthController;
import latch.health.HealthController;
import latch.http.Csrf;
import latch.http.RefusalListener;
import latch.invite.InviteController;
import latch.oauth.OAuthController;
import latch.pairing.PairingController;
import latch.session.SessionController;
import latch.setup.SetupController;
import latch.user.UserController;
import latch.web.Pages;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Everything {@link App} routes to, built by {@link Main#wire}; closing it releases the database and threads. */
public record Deps(
        Database db,
        ExecutorService background,
        AccessGuard guard,
        Csrf csrf,
        RefusalListener refusals,
        SessionController sessions,
        AccountController account,
        UserController users,
        InviteController invites,
        OAuthController oauth,
        ClientTokenController clientTokens,
        PairingController pairing,
        AuditController audit,
        SetupController setup,
        HealthController health,
        Pages pages,
        ForwardAuthController forwardAuth) implements AutoCloseable {

    @Override
    public void close() {
        background.shutdown();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
