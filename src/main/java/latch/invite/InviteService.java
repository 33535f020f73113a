package latch.invite;

import latch.access.Principal;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.IssuedSession;
import latch.session.SessionService;
import latch.token.RandomSecrets;
import latch.user.NewUser;
import latch.user.Role;
import latch.user.User;
import latch.user.UserAdministration;
import latch.user.UserService;
import latch.user.UserStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Invitations and registration: new accounts come from an admin's invite, or openly when the operator allows it. */
public final class InviteService {
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);
    private static final Duration MAX_EXPIRY = Duration.ofDays(365);

    /** A new invite with its token, shown once. */
    public record Created(Invite invite, String token) {}

    private final InviteStore store;
    private final UserStore users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final AuditService audit;
    private final RateLimiter limiter;
    private final LimitPolicy registerLimit;
    private final boolean openRegistration;
    private final Clock clock;

    public InviteService(InviteStore store, UserStore users, PasswordPolicy policy, PasswordHasher hasher, SessionService sessions,
                         AuditService audit, RateLimiter limiter, LimitPolicy registerLimit, boolean openRegistration, Clock clock) {
        this.store = store;
        this.users = users;
        this.policy = policy;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
        this.limiter = limiter;
        this.registerLimit = registerLimit;
        this.openRegistration = openRegistration;
        this.clock = clock;
    }

    public Created create(Principal actor, Role role, Long expiresInSeconds, Integer maxUses, ClientInfo client) {
        UserAdministration.requireMayGrant(actor, role);
        Duration expiry = expiresInSeconds == null ? DEFAULT_EXPIRY : Duration.ofSeconds(expiresInSeconds);
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw ApiError.badRequest("invalid_request", "expires_in_seconds must be between 1 and " + MAX_EXPIRY.getSeconds() + ".");
        }
        int uses = maxUses == null ? 1 : maxUses;
        if (uses < 1 || uses > 1000) {
            throw ApiError.badRequest("invalid_request", "max_uses must be between 1 and 1000.");
        }
        Instant now = clock.instant();
        String token = RandomSecrets.urlSafe(24); // 192 bits
        var invite = new Invite(RandomSecrets.urlSafe(9), role, actor.user().id(), now, now.plus(expiry), uses, 0, null);
        store.create(invite, RandomSecrets.sha256(token));
        audit.record(AuditType.INVITE_CREATED, Outcome.SUCCESS, actor, null, client,
                "invite " + invite.id() + " role " + role.wireName() + " uses " + uses);
        return new Created(invite, token);
    }

    public List<Invite> list() {
        return store.list(clock.instant());
    }

    public void revoke(Principal actor, String id, ClientInfo client) {
        if (!store.revoke(id, clock.instant())) {
            throw ApiError.notFound("There is no open invite with that id.");
        }
        audit.record(AuditType.INVITE_REVOKED, Outcome.SUCCESS, actor, null, client, "invite " + id);
    }

    public boolean openRegistration() {
        return openRegistration;
    }

    /** Creates an account from an invite (or openly, as a viewer, when allowed) and signs it in. */
    public IssuedSession register(String inviteToken, String username, String password, ClientInfo client) {
        limiter.enforce(registerLimit, client);
        UserService.checkUsername(username);
        policy.checkNew(password, "password");
        String hash = hasher.hash(password);
        User user;
        if (inviteToken == null || inviteToken.isEmpty()) {
            if (!openRegistration) {
                throw ApiError.forbidden("invite_required", "Registration needs an invitation from an admin.");
            }
            user = registerOpenly(username, hash);
        } else {
            var redemption = store.redeem(RandomSecrets.sha256(inviteToken), clock.instant(),
                    invite -> new NewUser(username, hash, invite.role(), null, null));
            if (redemption.usernameTaken()) {
                throw ApiError.conflict("username_taken", "That username is taken.");
            }
            if (redemption.user().isEmpty()) {
                throw ApiError.forbidden("invalid_invite", "This invitation is invalid, used up, revoked or expired.");
            }
            user = redemption.user().get();
            audit.record(AuditType.INVITE_USED, Outcome.SUCCESS, user, user, client, "invite " + redemption.invite().get().id());
        }
        audit.record(AuditType.REGISTERED, Outcome.SUCCESS, user, user, client, "role " + user.role().wireName());
        return sessions.signIn(user, client, "registration");
    }

    private User registerOpenly(String username, String hash) {
        return users.create(new NewUser(username, hash, Role.VIEWER, null, null)).orElseThrow(() -> ApiError.conflict("username_taken", "That username is taken."));
    }
}
