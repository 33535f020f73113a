package latch.account;

import latch.access.Principal;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.http.ClientInfo;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.IssuedSession;
import latch.session.SessionService;
import latch.session.SignIn;
import latch.user.User;
import latch.user.UserAdministration;
import latch.user.UserService;

/** What signed-in users do to their own account. */
public final class AccountService {
    private final UserService users;
    private final UserAdministration admin;
    private final SignIn signIn;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final AuditService audit;

    public AccountService(UserService users, UserAdministration admin, SignIn signIn, PasswordPolicy policy,
                          PasswordHasher hasher, SessionService sessions, AuditService audit) {
        this.users = users;
        this.admin = admin;
        this.signIn = signIn;
        this.policy = policy;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Changes display name and email only: whatever else a request carries is not the user's to set. */
    public User updateProfile(Principal me, String displayName, String email, ClientInfo client) {
        return admin.updateOwnProfile(me, displayName, email, client);
    }

    /**
     * Changes the password after checking the current one; every other session and grant ends, and the calling
     * session continues with a fresh token (when it is a session token).
     */
    public IssuedSession changePassword(Principal me, String current, String next, ClientInfo client) {
        policy.checkNew(next, "new_password");
        signIn.confirm(me.user(), current, client);
        users.replacePasswordHash(me.user().id(), hasher.hash(next));
        audit.record(AuditType.PASSWORD_CHANGED, Outcome.SUCCESS, me, me.user(), client, null);
        boolean keepCurrent = me.credential() == Principal.Credential.SESSION;
        sessions.endAll(me.user(), keepCurrent ? me.sessionId() : null, me, client, "password changed");
        return keepCurrent ? sessions.rotate(me, users.findCurrent(me.user().id()).orElseThrow()) : null;
    }
}
