package latch.user;

import latch.access.Principal;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.Regulation;
import latch.session.SessionService;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an admin does to accounts, with the rules that protect the household: the last enabled admin stays,
 * and disabling a user or resetting their password ends every session and OAuth grant they hold at once.
 */
public final class UserAdministration {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    private static final int MAX_NAME = 100;

    public record Page(List<AdminUserView> users, String nextCursor) {}

    private final UserService users;
    private final UserStore store;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final Regulation regulation;
    private final AuditService audit;

    public UserAdministration(UserService users, UserStore store, PasswordPolicy policy, PasswordHasher hasher,
                              SessionService sessions, Regulation regulation, AuditService audit) {
        this.users = users;
        this.store = store;
        this.policy = policy;
        this.hasher = hasher;
        this.sessions = sessions;
        this.regulation = regulation;
        this.audit = audit;
    }

    public Page list(String search, String cursor, Integer limit) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 200) {
            throw ApiError.badRequest("invalid_request", "limit must be between 1 and 200.");
        }
        if (search != null && search.length() > 100) {
            throw ApiError.badRequest("invalid_request", "The search text is too long.");
        }
        List<User> found = store.list(search, cursor == null || cursor.isEmpty() ? null : cursor, size + 1);
        String next = null;
        if (found.size() > size) {
            found = found.subList(0, size);
            next = found.get(size - 1).username();
        }
        return new Page(found.stream().map(this::view).collect(Collectors.toList()), next);
    }

    public AdminUserView get(long id) {
        return view(require(id));
    }

    public User require(long id) {
        return users.findCurrent(id).orElseThrow(() -> ApiError.notFound("There is no user with that id."));
    }

    /** Creates an account; used by admins and by registration (actor null). */
    public User create(Principal actor, String username, String password, Role role, String displayName, String email, ClientInfo client) {
        requireMayGrant(actor, role);
        UserService.checkUsername(username);
        policy.checkNew(password, "password");
        var created = store.create(new NewUser(username, hasher.hash(password), role, checkName(displayName), checkEmail(email)))
                .orElseThrow(() -> ApiError.conflict("username_taken", "That username is taken."));
        audit.record(AuditType.USER_CREATED, Outcome.SUCCESS, actor, created, client, "role " + role.wireName());
        return created;
    }

    public User update(Principal actor, long id, Role role, Boolean enabled, String password, String displayName, String email,
                       ClientInfo client) {
        User before = requireManageable(actor, id);
        requireMayGrant(actor, role);
        String hash = null;
        if (password != null) {
            policy.checkNew(password, "password");
            hash = hasher.hash(password);
        }
        User after;
        try {
            after = store.update(id, new UserChange(role, enabled, hash, checkName(displayName), checkEmail(email)))
                    .orElseThrow(() -> ApiError.notFound("There is no user with that id."));
        } catch (UserStore.LastAdminException e) {
            throw ApiError.conflict("last_admin", "This is the last enabled admin; make someone else an admin first.");
        } finally {
            users.invalidate(id);
        }
        if (before.role() != after.role()) {
            audit.record(AuditType.ROLE_CHANGED, Outcome.SUCCESS, actor, after, client, before.role().wireName() + " -> " + after.role().wireName());
        }
        if (before.enabled() && !after.enabled()) {
            audit.record(AuditType.USER_DISABLED, Outcome.SUCCESS, actor, after, client, null);
            sessions.endAll(after, null, actor, client, "account disabled");
        } else if (!before.enabled() && after.enabled()) {
            audit.record(AuditType.USER_ENABLED, Outcome.SUCCESS, actor, after, client, null);
        }
        if (hash != null) {
            audit.record(AuditType.PASSWORD_RESET, Outcome.SUCCESS, actor, after, client, null);
            // Unlike its peers, Latch does not let old sessions outlive a reset: whoever knew the old password is out.
            sessions.endAll(after, null, actor, client, "password reset");
        }
        if (displayName != null || email != null) {
            audit.record(AuditType.USER_UPDATED, Outcome.SUCCESS, actor, after, client, "profile");
        }
        return after;
    }

    /** A user's own display name and email; nothing else. */
    public User updateOwnProfile(Principal me, String displayName, String email, ClientInfo client) {
        User after = store.update(me.user().id(), new UserChange(null, null, null, checkName(displayName), checkEmail(email)))
                .orElseThrow(() -> ApiError.notFound("There is no user with that id."));
        users.invalidate(after.id());
        audit.record(AuditType.USER_UPDATED, Outcome.SUCCESS, me, after, client, "own profile");
        return after;
    }

    public void delete(Principal actor, long id, ClientInfo client) {
        User user = requireManageable(actor, id);
        try {
            if (!store.delete(id)) {
                throw ApiError.notFound("There is no user with that id.");
            }
        } catch (UserStore.LastAdminException e) {
            throw ApiError.conflict("last_admin", "This is the last enabled admin; make someone else an admin first.");
        } finally {
            users.invalidate(id);
        }
        audit.forget(user);
        audit.record(AuditType.USER_DELETED, Outcome.SUCCESS, actor, user, client, null);
    }

    public void unban(Principal actor, long id, ClientInfo client) {
        User user = requireManageable(actor, id);
        if (regulation.lift(user.id())) {
            audit.record(AuditType.ACCOUNT_UNBANNED, Outcome.SUCCESS, actor, user, client, null);
        }
    }

    /** The user, if the actor may act on their account: only an admin on an admin's, whatever scopes an operator hands out. */
    public User requireManageable(Principal actor, long id) {
        User user = require(id);
        if (user.role() == Role.ADMIN && actor.user().role() != Role.ADMIN) {
            throw ApiError.forbidden("admin_only", "Only an admin can act on an admin's account.");
        }
        return user;
    }

    /** Only an admin makes admins, whatever scopes an operator hands to other roles. */
    public static void requireMayGrant(Principal actor, Role role) {
        if (role == Role.ADMIN && (actor == null || actor.user().role() != Role.ADMIN)) {
            throw ApiError.forbidden("admin_only", "Only an admin can make someone an admin.");
        }
    }

    public AdminUserView view(User u) {
        return new AdminUserView(u.id(), u.username(), u.role().wireName(), u.enabled(), u.displayName(), u.email(),
                u.createdAt().toString(), regulation.isBanned(u.id()));
    }

    static String checkName(String name) {
        if (name != null && (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl))) {
            throw ApiError.badRequest("invalid_display_name", "A display name is at most " + MAX_NAME + " characters, without control characters.");
        }
        return name;
    }

    static String checkEmail(String email) {
        if (email != null && !email.isEmpty() && !EMAIL.matcher(email).matches()) {
            throw ApiError.badRequest("invalid_email", "That does not look like an email address.");
        }
        return email;
    }

    public static Role parseRole(String role) {
        return Role.parse(role).orElseThrow(() -> ApiError.badRequest("invalid_role", "A role is viewer, editor or admin."));
    }
}
