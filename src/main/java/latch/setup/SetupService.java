package latch.setup;

import latch.audit.AuditService;
import latch.audit.AuditType;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.IssuedSession;
import latch.session.SessionService;
import latch.user.User;
import latch.user.UserService;

/** Claiming a new instance: the first admin, created once, by whoever holds the setup code. */
public final class SetupService {
    private final UserService users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final SetupCode code;
    private final SessionService sessions;
    private final RateLimiter limiter;
    private final LimitPolicy limit;
    private final AuditService audit;

    public SetupService(UserService users, PasswordPolicy policy, PasswordHasher hasher, SetupCode code,
                        SessionService sessions, RateLimiter limiter, LimitPolicy limit, AuditService audit) {
        this.audit = audit;
        this.users = users;
        this.policy = policy;
        this.hasher = hasher;
        this.code = code;
        this.sessions = sessions;
        this.limiter = limiter;
        this.limit = limit;
    }

    public boolean setupRequired() {
        return !users.hasUsers();
    }

    /** Creates the first admin and signs them in. */
    public IssuedSession createAdmin(String username, String password, String setupCode, ClientInfo client) {
        limiter.enforce(limit, client);
        if (!setupRequired()) {
            throw ApiError.conflict("already_set_up", "This Latch already has an admin; sign in instead.");
        }
        if (!code.matches(setupCode)) {
            throw ApiError.forbidden("invalid_setup_code",
                    "The setup code is wrong. It is printed in the server log and stored in the data directory's setup-code file.");
        }
        UserService.checkUsername(username);
        policy.checkNew(password, "password");
        User admin = users.createFirstAdmin(username, hasher.hash(password));
        code.spend();
        audit.record(AuditType.SETUP_COMPLETED, AuditService.Outcome.SUCCESS, admin, admin, client, null);
        return sessions.signIn(admin, client, "setup");
    }
}
