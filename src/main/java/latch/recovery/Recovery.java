package latch.recovery;

import latch.account.UserAdministration;
import latch.audit.AuditService;
import latch.db.Database;
import latch.http.PublicOrigin;
import latch.http.TrustedProxies;
import latch.limit.LimitSettings;
import latch.limit.RateLimiter;
import latch.session.SessionService;
import latch.session.SignIn;
import latch.session.SignedIn;
import latch.user.UserDirectory;

import java.time.Clock;
import latch.metrics.Metrics;

import java.util.Optional;

/** Account recovery, wired: one-time links, reset by mail when an SMTP server is configured, and their endpoints. */
public record Recovery(RecoveryService service, ResetMail mail, RecoveryController controller) {

    /** {@code publicUrl}: LATCH_PUBLIC_URL, which Settings requires whenever mail is configured. */
    public static Recovery wire(RecoverySettings settings, String publicUrl, Database db, UserDirectory users,
                                UserAdministration admin, SessionService sessions, SignIn signIn, SignedIn signedIn,
                                RateLimiter limiter, LimitSettings limits, AuditService audit, TrustedProxies proxies,
                                PublicOrigin origin, Metrics metrics, Clock clock) {
        var service = new RecoveryService(new SqlOneTimeLinkStore(db), db, users, admin, sessions, signIn, limiter, limits,
                audit, settings, metrics, clock);
        Optional<Mailer> mailer = settings.smtp().map(smtp -> new SmtpMailer(smtp, clock));
        var mail = new ResetMail(service, users, signIn, limiter, limits, mailer, publicUrl, settings.resetLinkTtl());
        return new Recovery(service, mail, new RecoveryController(service, mail, signedIn, proxies, origin));
    }
}
