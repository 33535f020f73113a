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
import latch.user.NewUser;
import latch.user.Role;
import latch.user.User;
import latch.user.UserStore;

/**
 * The one place accounts are created, whoever creates them (first-run setup, an admin, an invitation, open
 * registration, the command line): one username rule, one password policy, one answer to a taken name, one audit
 * event. Checking and hashing happen before any transaction opens ({@link #prepare}), so the write lock is held
 * for the insert only.
 */
public final class Accounts {
    /** An account checked and with its password hashed, ready to insert. */
    public record Prepared(NewUser user) {
        public Prepared withRole(Role role) {
            var u = user;
            return new Prepared(new NewUser(u.username(), u.passwordHash(), role, u.displayName(), u.email()));
        }
    }

    private final UserStore store;
    private final UnitOfWork work;
    private final ChangeFeed feed;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final AuditService audit;

    public Accounts(UserStore store, UnitOfWork work, ChangeFeed feed, PasswordPolicy policy, PasswordHasher hasher,
                    AuditService audit) {
        this.store = store;
        this.work = work;
        this.feed = feed;
        this.policy = policy;
        this.hasher = hasher;
        this.audit = audit;
    }

    /**
     * Checks a new account and hashes its password. {@code actor} is who creates it (null for someone registering
     * themselves): only an admin makes admins, whatever scopes an operator hands to other roles.
     */
    public Prepared prepare(Principal actor, String username, String password, Role role, String displayName, String email) {
        if (actor != null) {
            requireMayGrant(actor, role);
        }
        AccountRules.checkUsername(username);
        policy.checkNew(password, "password");
        AccountRules.checkDisplayName(displayName);
        AccountRules.checkEmail(email);
        return new Prepared(new NewUser(username, hasher.hash(password), role, displayName, email));
    }

    /**
     * Checks an account that signs in another way (an OpenID provider) and has no password: none can be guessed,
     * and a password sign-in as it fails like a wrong password.
     */
    public Prepared prepareWithoutPassword(String username, Role role, String displayName, String email) {
        AccountRules.checkUsername(username);
        AccountRules.checkDisplayName(displayName);
        AccountRules.checkEmail(email);
        return new Prepared(new NewUser(username, null, role, displayName, email));
    }

    /** Creates the account in its own transaction. */
    public User create(Prepared account, Principal actor, ClientInfo client, String how) {
        return work.inTransaction(tx -> create(tx, account, actor, client, how));
    }

    /** Creates the account inside {@code tx}, together with whatever else the caller changes (an invitation spent). */
    public User create(Tx tx, Prepared account, Principal actor, ClientInfo client, String how) {
        User created;
        try {
            created = store.create(tx, account.user()).orElseThrow(AccountRules::usernameTaken);
        } catch (UserStore.NetplayNameTakenException e) {
            throw AccountRules.usernameIsANetplayName();
        }
        feed.publish(tx, new Change.UserChanged(created.id()));
        String detail = how + ", role " + created.role().wireName();
        if (actor == null) {
            // Someone registering acts for themselves.
            tx.afterCommit(() -> audit.record(AuditType.USER_CREATED, Outcome.SUCCESS, created, created, client, detail));
        } else {
            tx.afterCommit(() -> audit.record(AuditType.USER_CREATED, Outcome.SUCCESS, actor, created, client, detail));
        }
        return created;
    }

    /**
     * The instance's first admin: claims the instance and creates the account in one transaction, so of two
     * people setting up at once exactly one succeeds; 409 if it was claimed already.
     */
    public User createFirstAdmin(Prepared account, Principal actor, ClientInfo client, String how) {
        return work.inTransaction(tx -> {
            // The admin first: a claimed instance without one is what the database refuses (V007, last_admin).
            User admin = create(tx, account.withRole(Role.ADMIN), actor, client, how);
            if (!store.claim(tx)) {
                throw ApiError.conflict("already_set_up", "This Latch already has an admin; sign in instead.");
            }
            return admin;
        });
    }

    /** Only an admin makes admins. */
    public static void requireMayGrant(Principal actor, Role role) {
        if (role == Role.ADMIN && (actor == null || !actor.isAdmin())) {
            throw ApiError.forbidden("admin_only", "Only an admin can make someone an admin.");
        }
    }
}
