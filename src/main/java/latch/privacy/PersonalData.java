package latch.privacy;

import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.clienttoken.ClientToken;
import latch.clienttoken.ClientTokenService;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.http.Cidr;
import latch.http.ClientInfo;
import latch.oidc.LinkedIdentity;
import latch.oidc.OidcService;
import latch.session.Session;
import latch.session.SessionService;
import latch.session.SignIn;
import latch.token.RandomSecrets;
import latch.user.User;
import latch.user.UserDirectory;
import latch.user.UserStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A person's own data: all of it in one document, or all of it gone. Erasing deletes the account with its
 * sessions, tokens and linked identities, announces it like an admin's delete (so its tokens stop at once, in
 * every process), and leaves the audit log only an anonymous marker where the person was.
 */
public final class PersonalData {
    /** Without a password to confirm with, the proof is a fresh sign-in: a session left open on a shared screen is not. */
    static final Duration RECENT_SIGN_IN = Duration.ofMinutes(5);
    private static final String MARKER_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final UserDirectory users;
    private final UserStore store;
    private final UnitOfWork work;
    private final ChangeFeed feed;
    private final SignIn signIn;
    private final SessionService sessions;
    private final ClientTokenService clientTokens;
    private final OidcService identities;
    private final AuditService audit;
    private final Clock clock;

    public PersonalData(UserDirectory users, UserStore store, UnitOfWork work, ChangeFeed feed, SignIn signIn,
                        SessionService sessions, ClientTokenService clientTokens, OidcService identities, AuditService audit,
                        Clock clock) {
        this.users = users;
        this.store = store;
        this.work = work;
        this.feed = feed;
        this.signIn = signIn;
        this.sessions = sessions;
        this.clientTokens = clientTokens;
        this.identities = identities;
        this.audit = audit;
        this.clock = clock;
    }

    /** Everything Latch holds about the caller; the download itself is recorded. */
    public DataExport export(Principal me, ClientInfo client) {
        User user = current(me);
        long id = user.id();
        var export = new DataExport(clock.instant().toString(),
                new DataExport.Profile(id, user.username(), user.role().wireName(), user.enabled(), user.displayName(),
                        user.email(), user.netplayUsername(), user.createdAt().toString(), user.passwordHash() != null),
                identities.linked(id).stream().map(PersonalData::identity).toList(),
                sessions.everyOf(id).stream().map(PersonalData::session).toList(),
                clientTokens.everyOf(id).stream().map(PersonalData::token).toList(),
                audit.exportFor(id));
        audit.record(AuditType.DATA_EXPORTED, Outcome.SUCCESS, me, user, client, null);
        return export;
    }

    /**
     * Deletes the caller's account after they prove it is them: the current password, or for an account without
     * one a sign-in in this session within {@link #RECENT_SIGN_IN}. The last enabled admin is refused (409).
     */
    public void erase(Principal me, String currentPassword, ClientInfo client) {
        User user = current(me);
        if (user.passwordHash() != null) {
            signIn.confirm(user, requiredPassword(currentPassword), client);
        } else if (!signedInRecently(me)) {
            throw ApiError.forbidden("sign_in_again", "Sign in again, then delete your account within "
                    + RECENT_SIGN_IN.toMinutes() + " minutes.");
        }
        String marker = "deleted-" + RandomSecrets.fromAlphabet(MARKER_ALPHABET, 12);
        try {
            work.run(tx -> {
                if (!store.delete(tx, user.id())) {
                    throw ApiError.notFound("This account no longer exists.");
                }
                // The same change an admin's delete publishes: sessions, tokens and caches everywhere let go of it.
                feed.publish(tx, new Change.UserDeleted(user.id()));
                audit.anonymize(tx, user.id(), marker);
            });
        } catch (UserStore.LastAdminException e) {
            throw ApiError.conflict("last_admin", "You are the last enabled admin: make someone else an admin before"
                    + " deleting your account.");
        }
        audit.recordAnonymous(AuditType.USER_DELETED, marker, "own account, at its owner's request");
    }

    private static String requiredPassword(String currentPassword) {
        if (currentPassword == null || currentPassword.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "The field 'current_password' is required: confirm with your password.");
        }
        return currentPassword;
    }

    private boolean signedInRecently(Principal me) {
        if (me.credential() != Principal.Credential.SESSION) {
            return false;
        }
        Instant since = sessions.signedInAt(me.sessionId()).orElse(null);
        return since != null && !since.isBefore(clock.instant().minus(RECENT_SIGN_IN));
    }

    private User current(Principal me) {
        return users.findCurrent(me.user().id()).orElseThrow(() -> ApiError.notFound("This account no longer exists."));
    }

    private static DataExport.Identity identity(LinkedIdentity i) {
        return new DataExport.Identity(i.id(), i.issuer(), i.subject(), i.email(), i.createdAt().toString(),
                i.lastUsedAt().toString());
    }

    private static DataExport.SessionRecord session(Session s) {
        return new DataExport.SessionRecord(s.id(), s.kind().wireName(), s.scope(), s.createdAt().toString(),
                s.lastSeenAt().toString(), s.expiresAt().toString(), text(s.endedAt()), s.ip(), s.userAgent());
    }

    private static DataExport.TokenRecord token(ClientToken t) {
        return new DataExport.TokenRecord(t.id(), t.name(), ScopeCatalog.sorted(t.scopes()),
                t.networks().stream().map(Cidr::toString).toList(), t.device(), t.createdAt().toString(),
                text(t.expiresAt()), text(t.lastUsedAt()), text(t.revokedAt()));
    }

    private static String text(Instant instant) {
        return Objects.toString(instant, null);
    }
}
