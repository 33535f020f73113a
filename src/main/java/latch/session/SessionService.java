package latch.session;

import latch.access.Authenticator;
import latch.access.Principal;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.token.RandomSecrets;
import latch.token.TokenClaims;
import latch.token.TokenRejected;
import latch.token.TokenService;
import latch.token.TokenType;
import latch.user.User;
import latch.user.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Password sign-in, session tokens, refresh and sign-out. A valid token is checked against the blocklist and the
 * cached user only: no SQL on the hot path.
 */
public final class SessionService implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final String BAD_CREDENTIALS = "The username or password is wrong.";

    private final UserService users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final TokenService tokens;
    private final SessionStore sessions;
    private final Blocklist blocklist;
    private final RateLimiter limiter;
    private final LimitPolicy loginLimit;
    private final Duration maxAge;
    private final Clock clock;
    private final SessionActivity activity;

    public SessionService(UserService users, PasswordHasher hasher, PasswordPolicy policy, TokenService tokens,
                          SessionStore sessions, Blocklist blocklist, RateLimiter limiter, LimitPolicy loginLimit,
                          Duration maxAge, Executor background, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.tokens = tokens;
        this.sessions = sessions;
        this.blocklist = blocklist;
        this.limiter = limiter;
        this.loginLimit = loginLimit;
        this.maxAge = maxAge;
        this.clock = clock;
        this.activity = new SessionActivity(sessions, background, clock);
    }

    /** Signs in with a password. Unknown user, wrong password and disabled user are one answer in one time. */
    public IssuedSession login(String username, String password, ClientInfo client) {
        limiter.enforce(loginLimit, client.ip());
        policy.checkLength(password);
        Optional<User> found = username.length() > 64 ? Optional.empty() : users.findByUsername(username);
        String hash = found.map(User::passwordHash).orElse(null);
        boolean matches = hasher.verify(hash, password);
        if (!matches || !found.get().enabled()) {
            log.info("sign-in refused from {}", client.ip());
            throw new ApiError(401, "invalid_credentials", BAD_CREDENTIALS);
        }
        User user = found.get();
        if (hasher.needsRehash(hash)) {
            // The configured cost was raised: upgrade the stored hash while we hold the password.
            users.replacePasswordHash(user.id(), hasher.hash(password));
        }
        return start(user, client);
    }

    /** Opens a new session for a user who has just proven who they are. */
    public IssuedSession start(User user, ClientInfo client) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String sessionId = RandomSecrets.urlSafe(16);
        Instant expires = now.plus(maxAge);
        sessions.create(new Session(sessionId, user.id(), now, now, expires, null, client.ip(), client.userAgent()));
        return issue(user, sessionId, now, expires);
    }

    @Override
    public Principal authenticate(String token) {
        TokenClaims claims;
        try {
            claims = tokens.verify(TokenType.SESSION, token);
        } catch (TokenRejected e) {
            throw ApiError.invalidToken("The token is invalid or has expired; sign in again.");
        }
        if (claims.sessionId() == null || blocklist.isRevoked(claims.tokenId()) || blocklist.isRevoked(sessionKey(claims.sessionId()))) {
            throw ApiError.invalidToken("This token has been signed out; sign in again.");
        }
        User user = userOf(claims).filter(User::enabled)
                .orElseThrow(() -> ApiError.invalidToken("This account is no longer active."));
        activity.seen(claims.sessionId());
        return new Principal(user, claims.sessionId(), claims.tokenId(), claims.expiresAt());
    }

    /**
     * A new token for the same session, after re-checking the user; the presented token is revoked. The session's
     * absolute lifetime is kept: refreshing never extends it.
     */
    public IssuedSession refresh(Principal principal) {
        User user = users.findCurrent(principal.user().id()).filter(User::enabled)
                .orElseThrow(() -> ApiError.invalidToken("This account is no longer active."));
        blocklist.revoke(principal.tokenId(), principal.tokenExpiresAt());
        return issue(user, principal.sessionId(), clock.instant().truncatedTo(ChronoUnit.SECONDS), principal.tokenExpiresAt());
    }

    /** Revokes a presented token and ends its session; an invalid token is ignored, as there is nothing to end. */
    public void logout(String token) {
        Principal principal;
        try {
            principal = authenticate(token);
        } catch (ApiError e) {
            return;
        }
        end(principal);
    }

    private void end(Principal principal) {
        Instant now = clock.instant();
        blocklist.revoke(principal.tokenId(), principal.tokenExpiresAt());
        blocklist.revoke(sessionKey(principal.sessionId()), principal.tokenExpiresAt());
        sessions.end(principal.sessionId(), now);
    }

    private IssuedSession issue(User user, String sessionId, Instant now, Instant expires) {
        String token = tokens.issue(TokenType.SESSION,
                new TokenClaims(Long.toString(user.id()), sessionId, RandomSecrets.urlSafe(16), now, expires));
        return new IssuedSession(user, sessionId, token, expires);
    }

    private Optional<User> userOf(TokenClaims claims) {
        try {
            return users.find(Long.parseLong(claims.subject()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String sessionKey(String sessionId) {
        return "sid:" + sessionId;
    }
}
