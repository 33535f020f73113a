package latch.setup;

import latch.account.Accounts;
import latch.audit.AuditService;
import latch.audit.AuditType;
import latch.audit.RefusalWindows;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.session.IssuedSession;
import latch.session.SessionService;
import latch.user.Role;
import latch.user.User;
import latch.user.UserDirectory;

/** Claiming a new instance: the first admin, created once, by whoever holds the setup code. */
public final class SetupService {
    private final UserDirectory users;
    private final Accounts accounts;
    private final SetupCode code;
    private final SessionService sessions;
    private final RateLimiter limiter;
    private final LimitPolicy limit;
    private final AuditService audit;
    private final RefusalWindows refusals;

    public SetupService(UserDirectory users, Accounts accounts, SetupCode code, SessionService sessions, RateLimiter limiter,
                        LimitPolicy limit, AuditService audit, RefusalWindows refusals) {
        this.refusals = refusals;
        this.users = users;
        this.accounts = accounts;
        this.code = code;
        this.sessions = sessions;
        this.limiter = limiter;
        this.limit = limit;
        this.audit = audit;
    }

    public boolean setupRequired() {
        return !users.isClaimed();
    }

    /** Creates the first admin and signs them in. */
    public IssuedSession createAdmin(String username, String password, String setupCode, ClientInfo client) {
        limiter.enforce(limit, client);
        if (!setupRequired()) {
            throw alreadySetUp();
        }
        if (!code.matches(setupCode)) {
            // The code is spent once another request's setup succeeds; one that raced it is told the instance is set
            // up, as it would have been a moment later, not that a code it read from the log is wrong.
            if (!setupRequired()) {
                throw alreadySetUp();
            }
            recordRefusal(client);
            throw ApiError.forbidden("invalid_setup_code",
                    "The setup code is wrong. It is printed in the server log and stored in the data directory's setup-code file.");
        }
        var prepared = accounts.prepare(null, username, password, Role.ADMIN, null, null);
        User admin;
        try {
            admin = accounts.createFirstAdmin(prepared, null, client, "first-run setup");
        } catch (ApiError e) {
            // A setup sent twice at once (a double click): the second finds its own name taken by the first, which
            // has claimed the instance by now. It is told the instance is set up, not that its name is taken.
            if (!setupRequired()) {
                throw alreadySetUp();
            }
            throw e;
        }
        code.spend();
        audit.record(AuditType.SETUP_COMPLETED, AuditService.Outcome.SUCCESS, admin, admin, client, null);
        return sessions.signIn(admin, client, "setup");
    }

    /**
     * A wrong code while the instance waits for its first admin is someone trying to claim it: the log shows it, at
     * most once per client per the limit's window, so guessing at the limit's pace cannot fill the disk.
     */
    private void recordRefusal(ClientInfo client) {
        if (refusals.firstIn(AuditType.SETUP_CODE_REFUSED.wireName() + '|' + client.limitKey(), limit.window())) {
            audit.record(AuditType.SETUP_CODE_REFUSED, AuditService.Outcome.REFUSED, (User) null, null, client,
                    "wrong setup code for the first admin");
        }
    }

    private static ApiError alreadySetUp() {
        return ApiError.conflict("already_set_up", "This Latch already has an admin; sign in instead.");
    }
}
