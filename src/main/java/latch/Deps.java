package latch;

import latch.access.AccessGuard;
import latch.access.NetworkGate;
import latch.access.ScopeCatalog;
import latch.account.AccountController;
import latch.account.Accounts;
import latch.account.AdminUserController;
import latch.account.AuditLogController;
import latch.account.UserAdministration;
import latch.alert.AlertController;
import latch.alert.AlertService;
import latch.apps.AppsController;
import latch.change.ChangeFeed;
import latch.clienttoken.ClientTokenController;
import latch.clienttoken.ClientTokenService;
import latch.dashboard.DashboardController;
import latch.db.Database;
import latch.federation.Federation;
import latch.federation.FederationController;
import latch.forwardauth.ForwardAuthController;
import latch.health.HealthController;
import latch.http.Csrf;
import latch.http.RefusalListener;
import latch.http.SecurityHeaders;
import latch.invite.InviteController;
import latch.jobs.Jobs;
import latch.jobs.Purge;
import latch.keys.PublishedKeys;
import latch.monitoring.Monitoring;
import latch.oauth.OAuthController;
import latch.oidc.Oidc;
import latch.pairing.PairingController;
import latch.password.PasswordPolicy;
import latch.privacy.PersonalDataController;
import latch.recovery.Recovery;
import latch.redis.Redis;
import latch.session.CompactBlocklist;
import latch.session.SessionController;
import latch.session.SessionService;
import latch.setup.SetupController;
import latch.sfu.Netplay;
import latch.token.KeyRing;
import latch.user.UserDirectory;
import latch.web.ApiDescription;
import latch.web.Assets;
import latch.web.Pages;

import java.util.List;
import java.util.Optional;

/**
 * Everything {@link App} routes to and the services the command line uses, built by {@link Main#wire}; closing it
 * stops the jobs and releases Redis and the database.
 */
public record Deps(
        Database db,
        Optional<Redis> redis,
        Jobs jobs,
        ChangeFeed changes,
        Purge purge,
        CompactBlocklist blocklist,
        List<KeyRing> keyRings,
        List<PublishedKeys> publishedKeys,
        ScopeCatalog scopes,
        UserDirectory users,
        UserAdministration userAdministration,
        Accounts accounts,
        PasswordPolicy passwordPolicy,
        AccessGuard guard,
        NetworkGate networks,
        SessionService sessionService,
        ClientTokenService clientTokenService,
        Csrf csrf,
        SecurityHeaders securityHeaders,
        RefusalListener refusals,
        SessionController sessions,
        AccountController account,
        AdminUserController adminUsers,
        AuditLogController auditLog,
        InviteController invites,
        Recovery recovery,
        OAuthController oauth,
        ClientTokenController clientTokens,
        PairingController pairing,
        SetupController setup,
        HealthController health,
        Pages pages,
        Assets assets,
        ForwardAuthController forwardAuth,
        Netplay netplay,
        Federation federation,
        FederationController federationController,
        Oidc oidc,
        ApiDescription apiDescription,
        DashboardController dashboard,
        AlertService alerts,
        AlertController alertController,
        Monitoring monitoring,
        PersonalDataController personalData,
        AppsController apps) implements AutoCloseable {

    @Override
    public void close() {
        jobs.close();
        redis.ifPresent(Redis::close);
        db.close();
    }
}
