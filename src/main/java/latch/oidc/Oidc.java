package latch.oidc;

import latch.account.Accounts;
import latch.audit.AuditService;
import latch.change.ChangeFeed;
import latch.db.Database;
import latch.http.CookieSettings;
import latch.http.TrustedProxies;
import latch.metrics.Metrics;
import latch.session.SessionCookie;
import latch.session.SessionService;
import latch.session.SignOutFollowUp;
import latch.token.SealingKey;
import latch.user.UserDirectory;
import latch.user.UserStore;

import java.time.Clock;
import java.util.function.UnaryOperator;

/** Single sign-on, wired: its stores, its service, its endpoints, and what it adds to signing out. */
public record Oidc(OidcService service, OidcController controller, SignInAttemptStore attempts) {

    public static Oidc wire(OidcSettings settings, SignInOptions options, Database db, UserDirectory users, UserStore userStore,
                            Accounts accounts, SessionService sessions, ChangeFeed feed, AuditService audit, SealingKey sealing,
                            UnaryOperator<String> safeReturn, SessionCookie sessionCookie, CookieSettings cookies,
                            TrustedProxies proxies, Metrics metrics, Clock clock) {
        var attempts = new SqlSignInAttemptStore(db);
        var service = new OidcService(settings, attempts, new SqlIdentityStore(db), users, userStore, accounts, sessions,
                db, feed, audit, sealing, safeReturn, options.passwordLogin(), metrics, clock);
        return new Oidc(service, new OidcController(service, sessionCookie, cookies, proxies, options), attempts);
    }

    public SignOutFollowUp signOut() {
        return service::endSessionAddress;
    }
}
