package latch.recovery;

import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.LimitSettings;
import latch.limit.RateLimiter;
import latch.session.SignIn;
import latch.user.User;
import latch.user.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Self-service reset: someone names their account (username or email) and, if it exists, is enabled and has an
 * address, a reset link goes to that address. The request is answered before anything is looked up: finding the
 * account and sending the mail happen on a mail thread, so neither the answer nor its timing tells whether the
 * account exists.
 */
public final class ResetMail {
    private static final Logger log = LoggerFactory.getLogger(ResetMail.class);
    /** One address may be several accounts' (a household); at most this many get a mail per request. */
    private static final int MAX_ACCOUNTS_PER_ADDRESS = 5;
    /** Requests waiting for the mail thread; past it a request is dropped (and logged), still answered the same. */
    private static final int QUEUE = 100;
    private static final int MAX_NAME = 254;

    private final RecoveryService recovery;
    private final UserDirectory users;
    private final SignIn signIn;
    private final RateLimiter limiter;
    /** Requests per client, answered 429 past it. */
    private final LimitPolicy perClient;
    /** Mails per account: past it requests are still answered 202 but send nothing, so nobody can mail-bomb someone. */
    private final LimitPolicy perAccount;
    private final Optional<Mailer> mailer;
    private final String publicUrl;
    private final Duration linkTtl;
    private final Executor mailThread;

    /** {@code mailer} empty when no SMTP server is configured; {@code publicUrl}: LATCH_PUBLIC_URL, which links point at. */
    public ResetMail(RecoveryService recovery, UserDirectory users, SignIn signIn, RateLimiter limiter, LimitSettings limits,
                     Optional<Mailer> mailer, String publicUrl, Duration linkTtl) {
        this.perClient = limits.forgotPasswordPerClient();
        this.perAccount = limits.resetMailPerAccount();
        this.recovery = recovery;
        this.users = users;
        this.signIn = signIn;
        this.limiter = limiter;
        this.mailer = mailer;
        this.publicUrl = publicUrl;
        this.linkTtl = linkTtl;
        var executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "latch-mail");
            t.setDaemon(true);
            return t;
        }, (task, pool) -> log.warn("{} password reset requests are waiting for the mail server; one was dropped", QUEUE));
        executor.allowCoreThreadTimeOut(true);
        this.mailThread = executor;
    }

    public boolean available() {
        return mailer.isPresent();
    }

    /** Queues the lookup and the mail; returns at once, the same way whether or not the account exists. */
    public void request(String usernameOrEmail, ClientInfo client) {
        if (mailer.isEmpty()) {
            throw ApiError.forbidden("password_reset_by_mail_off", "This Latch cannot send mail, so it cannot mail you a"
                    + " reset link. Ask an admin of this server for a reset link or a new password.");
        }
        signIn.requirePasswordLogin();
        limiter.enforce(perClient, client);
        String name = usernameOrEmail.strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ApiError.badRequest("invalid_request", "Give your username or email address (at most " + MAX_NAME
                    + " characters).");
        }
        mailThread.execute(() -> mailLinks(name, client));
    }

    private void mailLinks(String name, ClientInfo client) {
        List<User> accounts;
        try {
            accounts = users.findByUsername(name).map(List::of)
                    .orElseGet(() -> users.findByEmail(name, MAX_ACCOUNTS_PER_ADDRESS));
        } catch (RuntimeException e) {
            log.warn("could not look up an account for a password reset: {}", e.getClass().getSimpleName());
            return;
        }
        for (User user : accounts) {
            if (!user.enabled() || user.email() == null || user.email().isBlank()
                    || limiter.tryConsume(perAccount, "user:" + user.id()) > 0) {
                continue;
            }
            try {
                IssuedLink link = recovery.resetLinkByMail(user, client);
                mailer.get().send(new Mailer.Mail(user.email(), "Reset your Latch password", text(user, link)));
                log.info("mailed a password reset link to the address of user {}", user.id());
            } catch (RuntimeException e) {
                // Never the link, and never the exception's own words, which may quote the mail.
                log.warn("could not mail a password reset link to the address of user {}: {}", user.id(),
                        e instanceof Mailer.MailFailed ? e.getMessage() : e.getClass().getSimpleName());
            }
        }
    }

    private String text(User user, IssuedLink link) {
        return "Hello " + user.username() + ",\n\n"
                + "someone, hopefully you, asked to reset the password of the Latch account \"" + user.username()
                + "\" at " + publicUrl + ".\n\n"
                + "To choose a new password, open this link within " + minutes(linkTtl) + ":\n\n"
                + link.url(publicUrl) + "\n\n"
                + "It works once. Choosing a new password signs you out everywhere.\n"
                + "If you did not ask for this, ignore this mail: your password stays as it is.\n";
    }

    private static String minutes(Duration ttl) {
        long m = ttl.toMinutes();
        return m % 60 == 0 && m >= 120 ? (m / 60) + " hours" : m == 60 ? "an hour" : m + " minutes";
    }
}
