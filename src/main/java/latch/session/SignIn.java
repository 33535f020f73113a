package latch.session;

import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.alert.SignInWatch;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.metrics.Metrics;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.user.User;
import latch.user.UserDirectory;

import java.time.Duration;
import java.util.Optional;

/**
 * Checks a username and password, for every way of signing in with one (the login form, the OAuth password
 * grant). Unknown user, wrong password, disabled account and banned account are one answer in one time.
 * One exception, for the person who proved the password: see {@link #DISABLED_HINT}.
 */
public final class SignIn {
    static final String BAD_CREDENTIALS = "The username or password is wrong.";
    static final String DISABLED_HINT_TEXT =
            " If you are sure of your password, your account may be disabled: ask an admin of this server.";
    /**
     * A disabled account's owner, refused like a wrong password, would retype it forever. From the third try with
     * the right password within 15 minutes, the same refusal (status, code, timing) adds {@link #DISABLED_HINT_TEXT}.
     * Only the right password ever earns it, so a guesser learns nothing; someone holding the password learns the
     * account is disabled, which opens nothing. Not at the first try: a leaked username and password tried once
     * each, as credential stuffing does, is not told that the pair is right.
     */
    static final LimitPolicy DISABLED_HINT = new LimitPolicy("disabled-account-hint", 3, Duration.ofMinutes(15));

    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final Regulation regulation;
    private final RateLimiter limiter;
    private final LimitPolicy loginLimit;
    private final AuditService audit;
    private final boolean passwordLogin;
    private final SignInWatch watch;
    private final Metrics metrics;
    private final FailedSignIns failures;

    /** {@code passwordLogin}: false when the operator switched password sign-in off (DISABLE_USERPASS_LOGIN). */
    public SignIn(UserDirectory users, PasswordHasher hasher, PasswordPolicy policy, Regulation regulation,
                  RateLimiter limiter, LimitPolicy loginLimit, AuditService audit, SignInWatch watch, boolean passwordLogin,
                  Metrics metrics, FailedSignIns failures) {
        this.watch = watch;
        this.metrics = metrics;
        this.failures = failures;
        this.passwordLogin = passwordLogin;
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.regulation = regulation;
        this.limiter = limiter;
        this.loginLimit = loginLimit;
        this.audit = audit;
    }

    /**
     * The user these credentials prove, or a 401. Every attempt takes one from the client's budget
     * (LOGIN_MAX_ATTEMPTS_PER_IP per LOGIN_WINDOW_SECONDS) and a success gives it back, so the limit counts
     * failures: a household behind one address is never told to wait for signing in correctly. A banned account
     * is refused whatever the caller already holds: a stolen session must not reopen it to password guessing.
     */
    public User verify(String username, String password, ClientInfo client) {
        requirePasswordLogin();
        limiter.enforce(loginLimit, client);
        policy.checkLength(password);
        Optional<User> found = username.length() > 64 ? Optional.empty() : users.findByUsername(username);
        String hash = found.map(User::passwordHash).orElse(null);
        boolean matches = hasher.verify(hash, password);
        if (found.isEmpty()) {
            refuse(username, null, client, "unknown user");
        }
        User user = found.get();
        if (regulation.isBanned(user.id())) {
            refuse(username, user, client, "account banned");
        }
        if (!matches) {
            countFailure(user, client);
            refuse(username, user, client, "wrong password");
        }
        if (!user.enabled()) {
            boolean hint = limiter.countReachesLimit(DISABLED_HINT, "user:" + user.id());
            refuse(username, user, client, hint ? "account disabled; told to ask an admin" : "account disabled", hint);
        }
        metrics.signIn(Metrics.SignInMethod.PASSWORD, Metrics.Outcome.SUCCESS);
        regulation.succeeded(user.id());
        limiter.refund(loginLimit, client);
        if (hasher.needsRehash(hash)) {
            // The configured cost was raised: upgrade the stored hash while we hold the password.
            users.storeRehashed(user.id(), hasher.hash(password));
        }
        return user;
    }

    /**
     * Refuses with 403 when password sign-in is off, for every way in that a password opens (the sign-in form, the
     * OAuth password grant, registration): the server refuses them, not merely the pages that hide them.
     */
    public void requirePasswordLogin() {
        if (!passwordLogin) {
            throw ApiError.forbidden("password_login_disabled",
                    "Signing in with a password is switched off here; sign in through your identity provider.");
        }
    }

    public boolean passwordLogin() {
        return passwordLogin;
    }

    /**
     * Checks the current password of a signed-in user under the sign-in form's rules: the per-address limit, the
     * failure count and the ban. A stolen session must not make guessing the password cheaper than signing in;
     * a banned account's right password is refused exactly like a wrong one.
     */
    public void confirm(User user, String password, ClientInfo client) {
        limiter.enforce(loginLimit, client);
        policy.checkLength(password);
        String hash = users.findCurrent(user.id()).map(User::passwordHash).orElse(null);
        boolean matches = hasher.verify(hash, password);
        if (regulation.isBanned(user.id())) {
            refuseCurrent(user, client, "account banned");
        }
        if (!matches) {
            countFailure(user, client);
            refuseCurrent(user, client, "wrong current password");
        }
        regulation.succeeded(user.id());
        limiter.refund(loginLimit, client);
    }

    private void countFailure(User user, ClientInfo client) {
        if (regulation.failed(user.id())) {
            audit.record(AuditType.ACCOUNT_BANNED, Outcome.SUCCESS, (User) null, user, client, "too many wrong passwords");
        }
    }

    private void refuseCurrent(User user, ClientInfo client, String reason) {
        audit.record(AuditType.PASSWORD_CHANGED, Outcome.FAILURE, user, user, client, reason);
        throw ApiError.badRequest("invalid_current_password", "The current password is wrong.");
    }

    private void refuse(String username, User user, ClientInfo client, String reason) {
        refuse(username, user, client, reason, false);
    }

    private void refuse(String username, User user, ClientInfo client, String reason, boolean disabledHint) {
        metrics.signIn(Metrics.SignInMethod.PASSWORD, Metrics.Outcome.FAILURE);
        failures.failed(username, client);
        audit.record(AuditType.SIGN_IN_FAILED, Outcome.FAILURE, (User) null, user, client, reason);
        watch.signInFailed(user == null ? null : user.id(), user == null ? null : user.username(), client);
        throw new ApiError(401, "invalid_credentials", disabledHint ? BAD_CREDENTIALS + DISABLED_HINT_TEXT : BAD_CREDENTIALS);
    }
}
