package latch.recovery;

import latch.access.Principal;
import latch.account.UserAdministration;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.metrics.Metrics;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.LimitSettings;
import latch.limit.RateLimiter;
import latch.session.IssuedSession;
import latch.session.SessionService;
import latch.session.SignIn;
import latch.token.RandomSecrets;
import latch.user.User;
import latch.user.UserDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One-time links back into an account: a sign-in link (the command line's, the operator's way in when the identity
 * provider fails, even with password sign-in off) and a reset link (an admin's, or mailed on request) that lets its
 * user choose a new password. A link's secret is 256 random bits shown once; only its SHA-256 is kept, it works
 * once, and a newer link of the same kind voids the older ones of that user.
 */
public final class RecoveryService {
    /** 256 bits: a link cannot be guessed within its lifetime, whatever the rate limit. */
    static final int SECRET_BYTES = 32;
    /** Longer than any link this server makes: a longer one is not worth hashing. */
    private static final int MAX_SECRET_LENGTH = 128;

    private final OneTimeLinkStore store;
    private final UnitOfWork work;
    private final UserDirectory users;
    private final UserAdministration admin;
    private final SessionService sessions;
    private final SignIn signIn;
    private final RateLimiter limiter;
    /** Wrong links per client, for both kinds together; a link that works gives its attempt back. */
    private final LimitPolicy linkGuesses;
    private final LimitPolicy resetLinksPerAdmin;
    private final AuditService audit;
    private final RecoverySettings settings;
    private final Metrics metrics;
    private final Clock clock;

    public RecoveryService(OneTimeLinkStore store, UnitOfWork work, UserDirectory users, UserAdministration admin,
                           SessionService sessions, SignIn signIn, RateLimiter limiter, LimitSettings limits,
                           AuditService audit, RecoverySettings settings, Metrics metrics, Clock clock) {
        this.linkGuesses = limits.linkGuessesPerClient();
        this.resetLinksPerAdmin = limits.resetLinksPerUser();
        this.metrics = metrics;
        this.store = store;
        this.work = work;
        this.users = users;
        this.admin = admin;
        this.sessions = sessions;
        this.signIn = signIn;
        this.limiter = limiter;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** A sign-in link for {@code user}, valid {@link RecoverySettings#LOGIN_LINK_TTL}; works with password sign-in off. */
    public IssuedLink loginLink(Principal actor, User user) {
        requireEnabled(user);
        IssuedLink link = issue(user.id(), LinkPurpose.LOGIN);
        audit.record(AuditType.LOGIN_LINK_CREATED, Outcome.SUCCESS, actor, user, null, "valid until " + link.expiresAt());
        return link;
    }

    /** A reset link an admin (or the command line) hands to the user {@code id}: only an admin's for an admin. */
    public IssuedLink resetLink(Principal actor, long id, ClientInfo client) {
        signIn.requirePasswordLogin();
        User user = admin.requireManageable(actor, id);
        if (!actor.isSystem()) {
            limiter.enforceForUser(resetLinksPerAdmin, actor.user().id());
        }
        IssuedLink link = issue(user.id(), LinkPurpose.RESET);
        audit.record(AuditType.RESET_LINK_CREATED, Outcome.SUCCESS, actor, user, client, "valid until " + link.expiresAt());
        return link;
    }

    /** A reset link that goes out by mail to the account's own address; the user asked for it, so they are the actor. */
    IssuedLink resetLinkByMail(User user, ClientInfo client) {
        IssuedLink link = issue(user.id(), LinkPurpose.RESET);
        audit.record(AuditType.RESET_LINK_CREATED, Outcome.SUCCESS, user, user, client, "by mail");
        return link;
    }

    /** Spends a sign-in link and opens a session exactly as signing in with a password does. */
    public IssuedSession signInWithLink(String secret, ClientInfo client) {
        limiter.enforce(linkGuesses, client);
        User user;
        try {
            long userId = spend(secret, LinkPurpose.LOGIN, client);
            user = users.findCurrent(userId).orElseThrow(RecoveryService::invalidLink);
            if (!user.enabled()) {
                audit.record(AuditType.SIGN_IN_FAILED, Outcome.FAILURE, (User) null, user, client, "login link: account disabled");
                throw accountDisabled();
            }
        } catch (ApiError e) {
            metrics.signIn(Metrics.SignInMethod.LOGIN_LINK, Metrics.Outcome.FAILURE);
            throw e;
        }
        limiter.refund(linkGuesses, client);
        IssuedSession issued = sessions.signIn(user, client, "login link");
        metrics.signIn(Metrics.SignInMethod.LOGIN_LINK, Metrics.Outcome.SUCCESS);
        return issued;
    }

    /**
     * Spends a reset link and sets the new password in the same transaction; every session of the user ends. The
     * password is checked first: a refused one leaves the link as it was, to try again. Returns the user.
     */
    public User resetPassword(String secret, String newPassword, ClientInfo client) {
        signIn.requirePasswordLogin();
        limiter.enforce(linkGuesses, client);
        String hash = admin.hashNewPassword(newPassword, "new_password");
        Instant now = now();
        String digest = digest(secret);
        User user = work.inTransaction(tx -> {
            long id = store.spend(tx, digest, LinkPurpose.RESET, now).orElseThrow(RecoveryService::invalidLink);
            return admin.resetPassword(tx, id, hash, client, "reset link");
        });
        limiter.refund(linkGuesses, client);
        return user;
    }

    /** Deletes up to {@code batch} links spent or expired more than a day ago. */
    public int purge(int batch) {
        return store.purgeDead(now().minus(Duration.ofDays(1)), batch);
    }

    private IssuedLink issue(long userId, LinkPurpose purpose) {
        Instant now = now();
        Instant expires = now.plus(purpose.ttl(settings));
        String secret = RandomSecrets.urlSafe(SECRET_BYTES);
        work.run(tx -> {
            store.voidUnspent(tx, userId, purpose, now);
            store.create(tx, RandomSecrets.sha256(secret), userId, purpose, now, expires);
        });
        return new IssuedLink(purpose, secret, expires);
    }

    private long spend(String secret, LinkPurpose purpose, ClientInfo client) {
        Instant now = now();
        String digest = digest(secret);
        return work.inTransaction(tx -> store.spend(tx, digest, purpose, now)).orElseThrow(() -> {
            audit.record(AuditType.SIGN_IN_FAILED, Outcome.FAILURE, (User) null, null, client, "invalid login link");
            return invalidLink();
        });
    }

    /** What a link's secret is stored as; a secret no link could have gets a digest that matches nothing. */
    private static String digest(String secret) {
        return RandomSecrets.sha256(secret.length() > MAX_SECRET_LENGTH ? "" : secret);
    }

    private static void requireEnabled(User user) {
        if (!user.enabled()) {
            throw accountDisabled();
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Used, expired, voided or never made: one answer, so the answer tells a guesser nothing. */
    static ApiError invalidLink() {
        return new ApiError(410, "link_expired_or_used", "This link has expired, was already used, or was replaced by a"
                + " newer one. Ask for a new link.");
    }

    private static ApiError accountDisabled() {
        return ApiError.forbidden("account_disabled", "This account is disabled; ask an admin to enable it.");
    }
}
