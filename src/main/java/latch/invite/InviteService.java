package latch.invite;

import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.account.AccountRules;
import latch.account.Accounts;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.session.IssuedSession;
import latch.session.SessionService;
import latch.session.SignIn;
import latch.token.RandomSecrets;
import latch.user.Role;
import latch.user.User;
import latch.user.UserDirectory;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Invitations and registration: new accounts come from an admin's invite, or openly when the operator allows it.
 * An invitation carries its creator's authority, checked when it is used: it dies when its creator is deleted,
 * disabled or loses the right to create accounts, and an admin invitation when its creator stops being an admin.
 */
public final class InviteService {
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);
    private static final Duration MAX_EXPIRY = Duration.ofDays(365);
    private static final String CREATES_ACCOUNTS = "users.write";
    private static final int MAX_NAME = 80;
    /** Longer than any token this server makes: a longer one is not worth hashing. */
    private static final int MAX_TOKEN_LENGTH = 128;

    /** A new invite with its token, shown once. */
    public record Created(Invite invite, String token) {}

    /** An invite as the admin's list shows it. */
    public record Listed(Invite invite, InviteState state) {}

    /** All a link's holder learns before registering: whether it works now, and then the role it gives. */
    public record Check(boolean usable, Role role) {}

    private final InviteStore store;
    private final Accounts accounts;
    private final UserDirectory users;
    private final ScopeCatalog scopes;
    private final UnitOfWork work;
    private final SessionService sessions;
    private final AuditService audit;
    private final RateLimiter limiter;
    private final LimitPolicy registerLimit;
    /** Dead or unknown links checked, per client, shared with the other one-time links; a live one gives its try back. */
    private final LimitPolicy checkLimit;
    private final boolean openRegistration;
    private final SignIn signIn;
    private final Clock clock;

    public InviteService(InviteStore store, Accounts accounts, UserDirectory users, ScopeCatalog scopes, UnitOfWork work,
                         SessionService sessions, SignIn signIn, AuditService audit, RateLimiter limiter,
                         LimitPolicy registerLimit, LimitPolicy checkLimit, RegistrationSettings registration, Clock clock) {
        this.signIn = signIn;
        this.store = store;
        this.accounts = accounts;
        this.users = users;
        this.scopes = scopes;
        this.work = work;
        this.sessions = sessions;
        this.audit = audit;
        this.limiter = limiter;
        this.registerLimit = registerLimit;
        this.checkLimit = checkLimit;
        this.openRegistration = registration.open();
        this.clock = clock;
    }

    public Created create(Principal actor, Role role, String name, Long expiresInSeconds, Integer maxUses, ClientInfo client) {
        Accounts.requireMayGrant(actor, role);
        String label = checkName(name);
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
        var invite = new Invite(RandomSecrets.urlSafe(9), role, actor.user().id(), now, now.plus(expiry), uses, 0, null, label);
        work.run(tx -> store.create(tx, invite, RandomSecrets.sha256(token)));
        audit.record(AuditType.INVITE_CREATED, Outcome.SUCCESS, actor, null, client, described(invite, users::find));
        return new Created(invite, token);
    }

    /**
     * Recent invitations, newest first, each with what became of it; an unspent one whose creator no longer holds
     * the authority it carries is {@link InviteState#VOID}.
     */
    public List<Listed> list() {
        Instant now = clock.instant();
        var creators = new HashMap<Long, Optional<User>>();
        return store.list().stream().map(i -> {
            InviteState state = i.state(now);
            if (state == InviteState.ACTIVE && !creatorMayGrant(i, id -> creators.computeIfAbsent(id, users::findCurrent))) {
                state = InviteState.VOID;
            }
            return new Listed(i, state);
        }).collect(Collectors.toList());
    }

    public void revoke(Principal actor, String id, ClientInfo client) {
        Invite revoked = work.inTransaction(tx -> store.revoke(tx, id, clock.instant()))
                .orElseThrow(() -> ApiError.notFound("There is no open invite with that id."));
        audit.record(AuditType.INVITE_REVOKED, Outcome.SUCCESS, actor, null, client, described(revoked, users::find));
    }

    /**
     * An invitation as the audit log names it: by the admin's name for it, what it gives and who made it, never by
     * its internal id.
     */
    private static String described(Invite i, LongFunction<Optional<User>> users) {
        String by = i.createdBy() == null ? null : users.apply(i.createdBy()).map(User::username).orElse(null);
        return "invitation" + (i.name() == null ? "" : " \"" + i.name() + "\"") + " (role " + i.role().wireName() + ", "
                + i.maxUses() + (i.maxUses() == 1 ? " use)" : " uses)") + (by == null ? "" : " from " + by);
    }

    /**
     * Whether an invitation link works now, for the register page to say so before the form is filled in. Unknown,
     * revoked, used up, expired or void get one answer, and a usable one adds only its role: the link's name,
     * creator and uses stay the admin's. Only the token's SHA-256 is looked up, as when it is spent.
     */
    public Check check(String inviteToken, ClientInfo client) {
        signIn.requirePasswordLogin();
        limiter.enforce(checkLimit, client);
        Instant now = clock.instant();
        String hash = RandomSecrets.sha256(inviteToken.length() > MAX_TOKEN_LENGTH ? "" : inviteToken);
        Optional<Invite> usable = store.findByTokenHash(hash)
                .filter(i -> i.usable(now))
                .filter(i -> creatorMayGrant(i, users::findCurrent));
        if (usable.isEmpty()) {
            return new Check(false, null);
        }
        limiter.refund(checkLimit, client);
        return new Check(true, usable.get().role());
    }

    /** Whether anyone may create an account with a password: not while password sign-in is off. */
    public boolean openRegistration() {
        return openRegistration && signIn.passwordLogin();
    }

    /** Creates an account from an invite (or openly, as a viewer, when allowed) and signs it in. */
    public IssuedSession register(String inviteToken, String username, String password, ClientInfo client) {
        // An account made with a password while passwords open nothing would be a way in the operator closed.
        signIn.requirePasswordLogin();
        limiter.enforce(registerLimit, client);
        var prepared = accounts.prepare(null, username, password, Role.VIEWER, null, null);
        User user;
        if (inviteToken == null || inviteToken.isEmpty()) {
            if (!openRegistration) {
                throw ApiError.forbidden("invite_required", "Registration needs an invitation from an admin.");
            }
            user = accounts.create(prepared, null, client, "open registration");
        } else {
            user = work.inTransaction(tx -> {
                Invite invite = store.spend(tx, RandomSecrets.sha256(inviteToken), clock.instant())
                        .filter(i -> creatorMayGrant(i, id -> users.findCurrent(tx, id)))
                        .orElseThrow(() -> ApiError.forbidden("invalid_invite", "This invitation is invalid, used up, revoked or expired."));
                String how = described(invite, id -> users.findCurrent(tx, id));
                User created = accounts.create(tx, prepared.withRole(invite.role()), null, client, how);
                tx.afterCommit(() -> audit.record(AuditType.INVITE_USED, Outcome.SUCCESS, created, created, client, how));
                return created;
            });
        }
        return sessions.signIn(user, client, "registration");
    }

    /**
     * An invitation's name as stored: null when absent or blank, else trimmed and in NFC, at most {@value #MAX_NAME}
     * characters of plain text (no control or invisible formatting characters).
     */
    static String checkName(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = Normalizer.normalize(name.strip(), Normalizer.Form.NFC);
        if (trimmed.isEmpty()) {
            return null;
        }
        if (trimmed.codePointCount(0, trimmed.length()) > MAX_NAME || AccountRules.hasHiddenCharacters(trimmed)) {
            throw ApiError.badRequest("invalid_invite_name", "An invitation's name is at most " + MAX_NAME
                    + " characters, without control or invisible formatting characters.");
        }
        return trimmed;
    }

    /** The id and, when it has one, the name the admin gave it, for the audit log. */
    /** Whether the invite's creator, as {@code current} finds them, could still create this account themselves. */
    private boolean creatorMayGrant(Invite invite, LongFunction<Optional<User>> current) {
        if (invite.createdBy() == null) {
            return false;
        }
        return current.apply(invite.createdBy())
                .filter(User::enabled)
                .filter(creator -> scopes.of(creator.role()).contains(CREATES_ACCOUNTS))
                .filter(creator -> invite.role() != Role.ADMIN || creator.role() == Role.ADMIN)
                .isPresent();
    }
}
