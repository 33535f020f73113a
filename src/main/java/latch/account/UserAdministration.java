package latch.account;

import latch.access.Principal;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.Tx;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.Regulation;
import latch.user.Role;
import latch.user.User;
import latch.user.UserChange;
import latch.user.UserDirectory;
import latch.user.UserStore;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What an admin (or the command line) does to accounts, with the rules that protect the household: the last
 * enabled admin stays, only an admin acts on an admin, and a disabled account or a new password ends every session
 * (the session feature hears of it on the change feed) and, unless kept, every client API token.
 */
public final class UserAdministration {
    public record Page(List<AdminUserView> users, String nextCursor) {}

    /** What an admin may change; null fields stay as they are. {@code keepTokens}: a new password spares API tokens. */
    public record Update(Role role, Boolean enabled, String password, String displayName, String email, boolean keepTokens) {}

    private final UserDirectory users;
    private final UserStore store;
    private final UnitOfWork work;
    private final ChangeFeed feed;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final Regulation regulation;
    private final AuditService audit;

    public UserAdministration(UserDirectory users, UserStore store, UnitOfWork work, ChangeFeed feed, PasswordPolicy policy,
                              PasswordHasher hasher, Regulation regulation, AuditService audit) {
        this.users = users;
        this.store = store;
        this.work = work;
        this.feed = feed;
        this.policy = policy;
        this.hasher = hasher;
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
        List<User> found = users.list(search, cursor == null || cursor.isEmpty() ? null : cursor, size + 1);
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

    /** The user, if the actor may act on their account: only an admin on an admin's, whatever scopes an operator hands out. */
    public User requireManageable(Principal actor, long id) {
        User user = require(id);
        if (!actor.mayManage(user)) {
            throw ApiError.forbidden("admin_only", "Only an admin can act on an admin's account.");
        }
        return user;
    }

    public User update(Principal actor, long id, Update change, ClientInfo client) {
        User before = requireManageable(actor, id);
        if (change.role() != null) {
            Accounts.requireMayGrant(actor, change.role());
        }
        AccountRules.checkDisplayName(change.displayName());
        AccountRules.checkEmail(change.email());
        String newHash = change.password() == null ? null : hashNewPassword(change.password(), "password");
        User after;
        try {
            after = work.inTransaction(tx -> {
                User updated = store.update(tx, id, new UserChange(change.role(), change.enabled(), newHash, change.displayName(),
                        change.email(), null)).orElseThrow(() -> ApiError.notFound("There is no user with that id."));
                feed.publish(tx, new Change.UserChanged(id));
                if (before.enabled() && !updated.enabled()) {
                    feed.publish(tx, new Change.UserDisabled(id));
                }
                if (newHash != null) {
                    announceReset(tx, id, change.keepTokens());
                }
                return updated;
            });
        } catch (UserStore.LastAdminException e) {
            throw AccountRules.lastAdmin();
        }
        if (before.role() != after.role()) {
            audit.record(AuditType.ROLE_CHANGED, Outcome.SUCCESS, actor, after, client, before.role().wireName() + " -> " + after.role().wireName());
        }
        if (before.enabled() && !after.enabled()) {
            audit.record(AuditType.USER_DISABLED, Outcome.SUCCESS, actor, after, client, null);
        } else if (!before.enabled() && after.enabled()) {
            audit.record(AuditType.USER_ENABLED, Outcome.SUCCESS, actor, after, client, null);
        }
        if (newHash != null) {
            audit.record(AuditType.PASSWORD_RESET, Outcome.SUCCESS, actor, after, client,
                    change.keepTokens() ? "client tokens kept" : null);
        }
        if (change.displayName() != null || change.email() != null) {
            audit.record(AuditType.USER_UPDATED, Outcome.SUCCESS, actor, after, client, "profile");
        }
        return after;
    }

    /**
     * Sets a new password and lifts any sign-in ban (the way back in for a locked-out user); {@code keepTokens}
     * spares the user's client API tokens. Returns whether a ban was lifted.
     */
    public boolean resetPassword(Principal actor, long id, String password, boolean keepTokens, ClientInfo client) {
        update(actor, id, new Update(null, null, password, null, null, keepTokens), client);
        return unban(actor, id, client);
    }

    /** A new password checked against the policy and hashed, before any transaction opens (hashing is slow). */
    public String hashNewPassword(String password, String field) {
        policy.checkNew(password, field);
        return hasher.hash(password);
    }

    /**
     * Sets a password hashed by {@link #hashNewPassword} inside {@code tx}, with whatever else must commit with it
     * (a one-time reset link spent), like an admin's reset: every session and grant of the user ends and every
     * client API token is revoked; once it commits, a sign-in ban is lifted and the reset recorded, the user acting.
     */
    public User resetPassword(Tx tx, long id, String hash, ClientInfo client, String how) {
        User updated = store.update(tx, id, new UserChange(null, null, hash, null, null, null))
                .orElseThrow(() -> ApiError.notFound("There is no user with that id."));
        feed.publish(tx, new Change.UserChanged(id));
        announceReset(tx, id, false);
        tx.afterCommit(() -> {
            if (regulation.lift(id)) {
                audit.record(AuditType.ACCOUNT_UNBANNED, Outcome.SUCCESS, updated, updated, client, how);
            }
            audit.record(AuditType.PASSWORD_RESET, Outcome.SUCCESS, updated, updated, client, how);
        });
        return updated;
    }

    /** Unlike its peers, Latch does not let anything outlive a reset: whoever knew the old password is out. */
    private void announceReset(Tx tx, long id, boolean keepTokens) {
        feed.publish(tx, new Change.PasswordChanged(id, null, !keepTokens));
    }

    public void delete(Principal actor, long id, ClientInfo client) {
        User user = requireManageable(actor, id);
        try {
            work.run(tx -> {
                if (!store.delete(tx, id)) {
                    throw ApiError.notFound("There is no user with that id.");
                }
                feed.publish(tx, new Change.UserDeleted(id));
            });
        } catch (UserStore.LastAdminException e) {
            throw AccountRules.lastAdmin();
        }
        audit.forget(user);
        audit.record(AuditType.USER_DELETED, Outcome.SUCCESS, actor, user, client, null);
    }

    /** Lifts a sign-in ban; true if there was one. */
    public boolean unban(Principal actor, long id, ClientInfo client) {
        User user = requireManageable(actor, id);
        if (!regulation.lift(user.id())) {
            return false;
        }
        audit.record(AuditType.ACCOUNT_UNBANNED, Outcome.SUCCESS, actor, user, client, null);
        return true;
    }

    public AdminUserView view(User u) {
        boolean lastAdmin = u.role() == Role.ADMIN && u.enabled() && store.enabledAdmins() == 1;
        return new AdminUserView(u.id(), u.username(), u.role().wireName(), u.enabled(), u.displayName(), u.email(),
                u.netplayUsername(), u.createdAt().toString(), regulation.isBanned(u.id()), lastAdmin);
    }
}
