package latch.user;

import latch.db.Tx;

import java.util.List;
import java.util.Optional;

/**
 * Users at rest. SQLite today; PostgreSQL later behind the same calls. Writes take the caller's {@link Tx}, so an
 * account and what comes with it (an invitation spent, the instance claimed) commit together.
 */
public interface UserStore {
    Optional<User> findById(long id);

    /** The user as {@code tx} sees them, for a rule checked inside the transaction that acts on it. */
    Optional<User> findById(Tx tx, long id);

    /** Case-insensitive: "Alice" and "alice" are one account. */
    Optional<User> findByUsername(String username);

    /** Up to {@code limit} users with this email address, ASCII case ignored; several accounts may share one. */
    List<User> findByEmail(String email, int limit);

    /** Whether the instance has been claimed: its first admin was created. */
    boolean isClaimed();

    /** How many enabled admins there are: the count the database keeps for its last-admin rule. */
    long enabledAdmins();

    /** Marks the instance claimed, once: true for the one caller that did it (first-admin setup). */
    boolean claim(Tx tx);

    /**
     * Creates a user; empty if the username is taken, {@link NetplayNameTakenException} if it is another account's
     * netplay name (case-insensitively).
     */
    Optional<User> create(Tx tx, NewUser user);

    /**
     * Applies a change; returns the user as they are now, empty if there is no such user, or throws
     * {@link LastAdminException} (nothing changed) when the change would leave a claimed instance without an
     * enabled admin. The database refuses that itself, whoever else changes admins at the same time. Likewise
     * {@link NetplayNameTakenException} when the netplay name it leaves (chosen, or the username by default) is
     * already another account's, case-insensitively.
     */
    Optional<User> update(Tx tx, long id, UserChange change);

    /** Deletes a user; false if there was none; {@link LastAdminException} if they are the last enabled admin. */
    boolean delete(Tx tx, long id);

    /** Users ordered by username, optionally filtered by a case-insensitive substring of username, name or email. */
    List<User> list(String search, String afterUsername, int limit);

    /** Thrown when a change would leave no enabled admin. */
    final class LastAdminException extends RuntimeException {
        public LastAdminException() {
            super(null, null, false, false);
        }
    }

    /** Thrown when a name would be another account's netplay name too; the database refuses it (V009). */
    final class NetplayNameTakenException extends RuntimeException {
        public NetplayNameTakenException() {
            super(null, null, false, false);
        }
    }
}
