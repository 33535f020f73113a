package latch.account;

import latch.access.Principal;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.IssuedSession;
import latch.session.SessionService;
import latch.session.SignIn;
import latch.user.User;
import latch.user.UserChange;
import latch.user.UserDirectory;
import latch.user.UserStore;

/** What signed-in users do to their own account. */
public final class AccountService {
    private final UserDirectory users;
    private final UserStore store;
    private final UnitOfWork work;
    private final ChangeFeed feed;
    private final SignIn signIn;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final AuditService audit;

    public AccountService(UserDirectory users, UserStore store, UnitOfWork work, ChangeFeed feed, SignIn signIn,
                          PasswordPolicy policy, PasswordHasher hasher, SessionService sessions, AuditService audit) {
        this.users = users;
        this.store = store;
        this.work = work;
        this.feed = feed;
        this.signIn = signIn;
        this.policy = policy;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
    }

    /**
     * Changes display name, email and netplay name only: whatever else a request carries is not the user's to set.
     * Null leaves a field as it is; an empty netplay name goes back to the username.
     */
    public User updateProfile(Principal me, String displayName, String email, String netplayUsername, ClientInfo client) {
        AccountRules.checkDisplayName(displayName);
        AccountRules.checkEmail(email);
        String netplay = AccountRules.checkNetplayUsername(netplayUsername);
        long id = me.user().id();
        User after;
        try {
            after = work.inTransaction(tx -> {
                User updated = store.update(tx, id, new UserChange(null, null, null, displayName, email, netplay))
                        .orElseThrow(() -> ApiError.notFound("There is no user with that id."));
                feed.publish(tx, new Change.UserChanged(id));
                return updated;
            });
        } catch (UserStore.NetplayNameTakenException e) {
            throw "".equals(netplay) ? AccountRules.usernameTakenAsNetplayName() : AccountRules.netplayUsernameTaken();
        }
        audit.record(AuditType.USER_UPDATED, Outcome.SUCCESS, me, after, client, "own profile");
        return after;
    }

    /**
     * Changes the password after checking the current one. Whoever knew the old one is out: every other session
     * and grant ends and, unless {@code revokeClientTokens} is false, every client API token (a user who changes a
     * password they fear leaked expects what it minted to end). The calling session goes on with a fresh token.
     */
    public IssuedSession changePassword(Principal me, String current, String next, boolean revokeClientTokens, ClientInfo client) {
        policy.checkNew(next, "new_password");
        signIn.confirm(me.user(), current, client);
        String hash = hasher.hash(next);
        long id = me.user().id();
        boolean keepCurrent = me.credential() == Principal.Credential.SESSION;
        work.run(tx -> {
            store.update(tx, id, new UserChange(null, null, hash, null, null, null));
            feed.publish(tx, new Change.UserChanged(id));
            feed.publish(tx, new Change.PasswordChanged(id, keepCurrent ? me.sessionId() : null, revokeClientTokens));
        });
        audit.record(AuditType.PASSWORD_CHANGED, Outcome.SUCCESS, me, me.user(), client,
                revokeClientTokens ? null : "client tokens kept");
        return keepCurrent ? sessions.rotate(me, users.findCurrent(id).orElseThrow()) : null;
    }
}
