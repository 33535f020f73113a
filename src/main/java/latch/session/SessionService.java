package latch.session;

import latch.access.Authenticator;
import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.Tx;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.http.DeviceName;
import latch.alert.SignInWatch;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.token.RandomSecrets;
import latch.token.TokenClaims;
import latch.token.TokenRejected;
import latch.token.TokenService;
import latch.token.TokenType;
import latch.user.User;
import latch.user.UserDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Sessions and the tokens bound to them. A valid token is checked against the blocklist, the cached session and
 * the cached user only: no SQL on the hot path. Sessions end themselves when their user is disabled, deleted or
 * has a new password: they hear of it on the change feed, inside the transaction that made the change.
 */
public final class SessionService implements Authenticator {
    /** At most this many devices are named in one "sessions ended" event; the rest are counted. */
    private static final int DEVICES_NAMED = 5;

    private final UserDirectory users;
    private final ScopeCatalog scopes;
    private final TokenService tokens;
    private final LiveSessions live;
    private final Blocklist blocklist;
    private final UnitOfWork work;
    private final AuditService audit;
    private final Duration maxAge;
    private final Clock clock;
    private final RateLimiter limiter;
    private final LimitPolicy refreshLimit;
    private final SignInWatch watch;

    public SessionService(UserDirectory users, ScopeCatalog scopes, TokenService tokens, SessionStore store, Blocklist blocklist,
                          UnitOfWork work, ChangeFeed feed, RateLimiter limiter, LimitPolicy refreshLimit, SignInWatch watch,
                          AuditService audit, SessionSettings settings, Executor writer, Clock clock) {
        this.users = users;
        this.limiter = limiter;
        this.refreshLimit = refreshLimit;
        this.watch = watch;
        this.scopes = scopes;
        this.tokens = tokens;
        this.blocklist = blocklist;
        this.work = work;
        this.audit = audit;
        this.maxAge = settings.maxAge();
        this.clock = clock;
        this.live = new LiveSessions(store, work, feed, writer, clock, settings.idleTimeout());
        feed.within(Change.UserDisabled.class, (tx, c) -> endAllFor(tx, c.userId(), null, "account disabled"));
        feed.within(Change.PasswordChanged.class, (tx, c) -> endAllFor(tx, c.userId(), c.keepSessionId(), "password replaced"));
    }

    /** Opens a browser session for a user who has just proven who they are, and records the sign-in. */
    public IssuedSession signIn(User user, ClientInfo client, String how) {
        IssuedSession issued = work.inTransaction(tx -> start(tx, user, client));
        audit.record(AuditType.SIGN_IN, Outcome.SUCCESS, user, user, client, how);
        watch.signedIn(user.id(), user.username(), client);
        return issued;
    }

    /** Opens a browser session inside {@code tx}, e.g. together with the account it signs in. */
    public IssuedSession start(Tx tx, User user, ClientInfo client) {
        Instant now = now();
        Session s = new Session(RandomSecrets.urlSafe(16), user.id(), SessionKind.BROWSER, null, now, now,
                now.plus(maxAge), null, client.ip(), client.userAgent());
        live.create(tx, s);
        return issue(TokenType.SESSION, user, s.id(), null, now, s.expiresAt());
    }

    /** Opens an OAuth grant (a session of kind oauth) that lives until {@code expiresAt} unless extended. */
    public Session startGrant(Tx tx, User user, Set<String> granted, Instant expiresAt, ClientInfo client) {
        Instant now = now();
        Session s = new Session(RandomSecrets.urlSafe(16), user.id(), SessionKind.OAUTH, ScopeCatalog.format(granted),
                now, now, expiresAt, null, client.ip(), client.userAgent());
        live.create(tx, s);
        return s;
    }

    /** An access token for a live OAuth grant, carrying {@code scope}: the grant's, or a part of it (RFC 6749 §6). */
    public IssuedSession accessToken(User user, Session grant, String scope, Duration lifetime) {
        Instant now = now();
        return issue(TokenType.ACCESS, user, grant.id(), scope, now, now.plus(lifetime));
    }

    public Optional<Session> liveGrant(String sessionId) {
        return live.active(sessionId).filter(s -> s.kind() == SessionKind.OAUTH);
    }

    /** Ends an OAuth grant, e.g. when a spent refresh token comes back. */
    public void endGrant(String sessionId) {
        work.run(tx -> live.end(tx, sessionId));
    }

    public void extendGrant(Tx tx, String sessionId, Instant expiresAt) {
        live.extend(tx, sessionId, expiresAt);
    }

    @Override
    public Principal authenticate(String token, Supplier<ClientInfo> client) {
        return authenticate(token);
    }

    /** A session or OAuth access token (JWT) as the principal it stands for, or a 401. */
    public Principal authenticate(String token) {
        TokenService.Verified verified;
        try {
            verified = tokens.verifyAny(token);
        } catch (TokenRejected e) {
            throw invalid();
        }
        TokenType type = verified.type();
        TokenClaims claims = verified.claims();
        if (claims.sessionId() == null || blocklist.isRevoked(claims.tokenId())) {
            throw signedOut();
        }
        SessionKind expectedKind = type == TokenType.SESSION ? SessionKind.BROWSER : SessionKind.OAUTH;
        Session session = live.active(claims.sessionId())
                .filter(s -> s.kind() == expectedKind && Long.toString(s.userId()).equals(claims.subject()))
                .orElseThrow(SessionService::signedOut);
        User user = users.find(session.userId()).filter(User::enabled)
                .orElseThrow(() -> ApiError.invalidToken("This account is no longer active."));
        Set<String> held = scopes.of(user.role());
        Set<String> effective = held;
        if (type == TokenType.ACCESS) {
            // An OAuth token never grants more than the user holds now: demoting the user shrinks it at once.
            var granted = new HashSet<>(ScopeCatalog.parse(claims.scope()));
            granted.retainAll(held);
            effective = Set.copyOf(granted);
        }
        var credential = type == TokenType.SESSION ? Principal.Credential.SESSION : Principal.Credential.ACCESS_TOKEN;
        return new Principal(user, effective, credential, claims.sessionId(), claims.tokenId(), claims.expiresAt());
    }

    /**
     * A new session token for the same session, after re-reading the user; the presented token is revoked. The
     * session's absolute lifetime is kept: refreshing never extends it.
     */
    public IssuedSession refresh(Principal principal, ClientInfo client) {
        if (principal.credential() != Principal.Credential.SESSION) {
            throw ApiError.badRequest("wrong_token_type", "Refresh OAuth access tokens with grant_type=refresh_token at /api/token.");
        }
        // Every refresh leaves a revocation behind until the old token would have expired: a loop of refreshes
        // must not grow the blocklist without bound. Clients refresh about once per token lifetime.
        limiter.enforceForUser(refreshLimit, principal.user().id());
        User user = users.findCurrent(principal.user().id()).filter(User::enabled)
                .orElseThrow(() -> ApiError.invalidToken("This account is no longer active."));
        IssuedSession issued = rotate(principal, user);
        audit.record(AuditType.REFRESH, Outcome.SUCCESS, user, user, client, null);
        return issued;
    }

    /** Replaces the presented session token with a fresh one for the same session. */
    public IssuedSession rotate(Principal principal, User user) {
        // Only the first of two simultaneous refreshes of one token gets a successor; the other is a replay.
        boolean first = work.inTransaction(tx -> blocklist.revoke(tx, principal.tokenId(), principal.tokenExpiresAt()));
        if (!first) {
            throw ApiError.invalidToken("This token was already refreshed or signed out.");
        }
        return issue(TokenType.SESSION, user, principal.sessionId(), null, now(), principal.tokenExpiresAt());
    }

    /**
     * Revokes a presented token and ends its session; an invalid token is ignored, as there is nothing to end. The
     * session ended, if any.
     */
    public Optional<String> logout(String token, ClientInfo client) {
        Principal principal;
        try {
            principal = authenticate(token);
        } catch (ApiError e) {
            return Optional.empty();
        }
        work.run(tx -> {
            blocklist.revoke(tx, principal.tokenId(), principal.tokenExpiresAt());
            live.end(tx, principal.sessionId());
        });
        audit.record(AuditType.LOGOUT, Outcome.SUCCESS, principal, principal.user(), client, null);
        return Optional.ofNullable(principal.sessionId());
    }

    /** A user's live sessions, marking the one {@code currentSessionId} names. */
    public List<SessionView> list(long userId, String currentSessionId) {
        return live.live(userId).stream()
                .map(s -> new SessionView(s.id(), s.kind().wireName(), s.createdAt().toString(), live.lastSeen(s).toString(),
                        s.expiresAt().toString(), s.ip(), s.userAgent(), s.id().equals(currentSessionId)))
                .collect(Collectors.toList());
    }

    /** Every session of a user Latch still holds, ended ones included: for the owner's export of their data. */
    public List<Session> everyOf(long userId) {
        return live.everyOf(userId);
    }

    /** When the session was opened by signing in (refreshing its token does not move this); empty if it is gone. */
    public Optional<Instant> signedInAt(String sessionId) {
        return sessionId == null ? Optional.empty() : live.find(sessionId).map(Session::createdAt);
    }

    /**
     * Ends one of the caller's own sessions; someone else's session id is answered as unknown. The log names the
     * device in words now, as the session row that holds its user agent is purged in time.
     */
    public void endOwn(Principal principal, String sessionId, ClientInfo client) {
        Optional<Session> mine = live.find(sessionId).filter(s -> s.userId() == principal.user().id() && s.isLive(now()));
        if (mine.isEmpty() || !work.inTransaction(tx -> live.end(tx, sessionId))) {
            throw ApiError.notFound("You have no session with that id.");
        }
        audit.record(AuditType.SESSION_ENDED, Outcome.SUCCESS, principal, principal.user(), client, device(mine.get()));
    }

    /**
     * Ends every session and OAuth grant of a user, except {@code keepSessionId} (may be null); returns how many.
     * Ending none is not recorded: "0 sessions ended" is noise in the log and tells an admin nothing.
     */
    public int endAll(User subject, String keepSessionId, Principal actor, ClientInfo client, String reason) {
        List<Session> ended = work.inTransaction(tx -> live.endAll(tx, subject.id(), keepSessionId));
        if (!ended.isEmpty()) {
            audit.record(AuditType.SESSIONS_ENDED, Outcome.SUCCESS, actor, subject, client, ended(reason, ended));
        }
        return ended.size();
    }

    /**
     * The reaction to an account change: its sessions end in the same transaction, and the log says which, if any
     * (the change itself has its own event).
     */
    private void endAllFor(Tx tx, long userId, String keep, String reason) {
        List<Session> ended = live.endAll(tx, userId, keep);
        if (!ended.isEmpty()) {
            tx.afterCommit(() -> audit.record(AuditType.SESSIONS_ENDED, Outcome.SUCCESS, (User) null,
                    users.find(userId).orElse(null), null, ended(reason, ended)));
        }
    }

    /** "sign out everywhere: 3 sessions (Chrome on Linux ×2, Firefox on Windows)". */
    private static String ended(String reason, List<Session> sessions) {
        var counts = new java.util.TreeMap<String, Integer>(String.CASE_INSENSITIVE_ORDER);
        sessions.forEach(s -> counts.merge(device(s), 1, Integer::sum));
        String devices = counts.entrySet().stream().limit(DEVICES_NAMED)
                .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", ")) + (counts.size() > DEVICES_NAMED ? ", …" : "");
        return reason + ": " + sessions.size() + (sessions.size() == 1 ? " session (" : " sessions (") + devices + ")";
    }

    /** A session as its owner knows it: "Firefox on Windows", or the app's name for an OAuth grant. */
    private static String device(Session s) {
        String name = DeviceName.of(s.userAgent());
        return s.kind() == SessionKind.OAUTH ? name + ", app sign-in" : name;
    }

    private IssuedSession issue(TokenType type, User user, String sessionId, String scope, Instant now, Instant expires) {
        String token = tokens.issue(type, new TokenClaims(Long.toString(user.id()), sessionId, RandomSecrets.urlSafe(16), now, expires, scope));
        return new IssuedSession(user, sessionId, token, expires);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static ApiError invalid() {
        return ApiError.invalidToken("The token is invalid or has expired; sign in again.");
    }

    private static ApiError signedOut() {
        return ApiError.invalidToken("This token has been signed out; sign in again.");
    }
}
