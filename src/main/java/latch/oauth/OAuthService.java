package latch.oauth;

import latch.access.ScopeCatalog;
import latch.alert.AlertKind;
import latch.alert.Alerts;
import latch.alert.SignInWatch;
import latch.limit.LimitPolicy;
import latch.limit.LimitSettings;
import latch.limit.RateLimiter;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.session.Session;
import latch.session.SessionService;
import latch.session.SignIn;
import latch.token.RandomSecrets;
import latch.user.User;
import latch.user.UserDirectory;
import latch.db.UnitOfWork;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;

/**
 * The OAuth 2.0 token endpoint's rules (RFC 6749 §4.3 and §6): the password grant opens a grant with the scopes
 * asked for; refresh tokens rotate on every use, and presenting a spent one ends the whole grant (RFC 9700 §4.14).
 */
public final class OAuthService {
    /** RFC 6749 §5.1 response; {@code token_type} is always Bearer. */
    public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken, String scope) {}

    private final SignIn signIn;
    private final SessionService sessions;
    private final UserDirectory users;
    private final UnitOfWork work;
    private final ScopeCatalog scopes;
    private final RefreshTokenStore refreshTokens;
    private final AuditService audit;
    private final Alerts alerts;
    private final SignInWatch watch;
    private final RateLimiter limiter;
    private final LimitPolicy perClient;
    private final LimitPolicy refreshPerUser;
    private final Duration accessLifetime;
    private final Duration refreshLifetime;
    private final Clock clock;

    public OAuthService(SignIn signIn, SessionService sessions, UserDirectory users, ScopeCatalog scopes,
                        RefreshTokenStore refreshTokens, UnitOfWork work, AuditService audit, Alerts alerts, SignInWatch watch,
                        RateLimiter limiter, LimitSettings limits, OAuthSettings settings, Clock clock) {
        this.alerts = alerts;
        this.watch = watch;
        this.limiter = limiter;
        this.perClient = limits.tokenPerClient();
        this.refreshPerUser = limits.refreshPerUser();
        this.work = work;
        this.signIn = signIn;
        this.sessions = sessions;
        this.users = users;
        this.scopes = scopes;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.accessLifetime = settings.accessLifetime();
        this.refreshLifetime = settings.refreshLifetime();
        this.clock = clock;
    }

    public TokenResponse passwordGrant(String username, String password, String scope, ClientInfo client) {
        limiter.enforce(perClient, client);
        User user = signIn.verify(username, password, client);
        Set<String> granted = narrow(scopes.of(user.role()), scope);
        Instant now = now();
        String refresh = RandomSecrets.urlSafe(32);
        Session grant = work.inTransaction(tx -> {
            Session g = sessions.startGrant(tx, user, granted, now.plus(refreshLifetime), client);
            refreshTokens.create(tx, RandomSecrets.sha256(refresh), g.id(), now, now.plus(refreshLifetime));
            return g;
        });
        audit.record(AuditType.TOKEN_GRANTED, Outcome.SUCCESS, user, user, client, "password grant: " + grant.scope());
        watch.signedIn(user.id(), user.username(), client);
        return respond(user, grant, refresh);
    }

    public TokenResponse refreshGrant(String refreshToken, String scope, ClientInfo client) {
        limiter.enforce(perClient, client);
        Instant now = now();
        String presented = RandomSecrets.sha256(refreshToken);
        // Checked before the token is spent: a refused request must leave the client its refresh token, or its next,
        // valid refresh would look like a replay and end the grant. Spent tokens skip this, so they still do.
        refreshTokens.unspentGrant(presented, now).flatMap(sessions::liveGrant).ifPresent(grant -> {
            limiter.enforceForUser(refreshPerUser, grant.userId());
            narrow(ScopeCatalog.parse(grant.scope()), scope);
        });
        String next = RandomSecrets.urlSafe(32);
        var rotation = work.inTransaction(tx -> refreshTokens.rotate(tx, presented, RandomSecrets.sha256(next), now,
                now.plus(refreshLifetime)));
        if (rotation.outcome() == RefreshTokenStore.Rotation.Outcome.REUSED) {
            var grant = sessions.liveGrant(rotation.sessionId());
            User subject = grant.flatMap(g -> users.find(g.userId())).orElse(null);
            sessions.endGrant(rotation.sessionId());
            audit.record(AuditType.REFRESH_TOKEN_REUSED, Outcome.REFUSED, (User) null, subject, client, "grant ended");
            alerts.raise(AlertKind.REFRESH_TOKEN_REUSED, subject == null ? null : subject.id(), client.ip(),
                    "a rotated refresh token was presented again; its grant was ended");
            throw invalidGrant();
        }
        if (rotation.outcome() != RefreshTokenStore.Rotation.Outcome.ROTATED) {
            throw invalidGrant();
        }
        Session grant = sessions.liveGrant(rotation.sessionId()).orElseThrow(OAuthService::invalidGrant);
        User user = users.findCurrent(grant.userId()).filter(User::enabled).orElseThrow(OAuthService::invalidGrant);
        // RFC 6749 §6: a refresh may narrow the new access token's scope, never widen it; the grant (and so the
        // refresh token) keeps its original scope for later refreshes.
        String accessScope = ScopeCatalog.format(narrow(ScopeCatalog.parse(grant.scope()), scope));
        work.run(tx -> sessions.extendGrant(tx, grant.id(), now.plus(refreshLifetime)));
        audit.record(AuditType.TOKEN_REFRESHED, Outcome.SUCCESS, user, user, client, "refresh grant: " + accessScope);
        return respond(user, grant, accessScope, next);
    }

    private TokenResponse respond(User user, Session grant, String refresh) {
        return respond(user, grant, grant.scope(), refresh);
    }

    private TokenResponse respond(User user, Session grant, String scope, String refresh) {
        var access = sessions.accessToken(user, grant, scope, accessLifetime);
        return new TokenResponse(access.token(), "Bearer", accessLifetime.getSeconds(), refresh, scope);
    }

    private static Set<String> narrow(Set<String> held, String requested) {
        Set<String> asked = ScopeCatalog.parse(requested);
        if (asked.isEmpty()) {
            return held;
        }
        var excess = new HashSet<>(asked);
        excess.removeAll(held);
        if (!excess.isEmpty()) {
            throw ApiError.badRequest("invalid_scope", "Not yours to grant: " + ScopeCatalog.format(excess) + ".");
        }
        return asked;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static ApiError invalidGrant() {
        return ApiError.badRequest("invalid_grant", "The refresh token is invalid, expired or revoked.");
    }
}
