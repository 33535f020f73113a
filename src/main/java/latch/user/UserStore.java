package latch.user;

import java.util.List;
import java.util.Optional;

/** Users at rest. SQLite today; PostgreSQL later behind the same calls. */
public interface UserStore {
    Optional<User> findById(long id);

    /** Case-insensitive: "Alice" and "alice" are one account. */
    Optional<User> findByUsername(String username);

    long count();

    /** Creates the first user only while there is none, atomically; empty if someone else was first. */
    Optional<User> createIfNoUsers(String username, String passwordHash, Role role);

    /** Creates a user; empty if the username is taken. */
    Optional<User> create(NewUser user);

    void updatePasswordHash(long id, String passwordHash);

    /**
     * Applies a change in one transaction and keeps at least one enabled admin: returns the updated user, empty
     * if there is no such user, or throws {@link LastAdminException} (nothing changed).
     */
    Optional<User> update(long id, UserChange change);

    /** Deletes a user unless they are the last enabled admin ({@link LastAdminException}); false if there was none. */
    boolean delete(long id);

    /** Users ordered by username, optionally filtered by a case-insensitive substring of username, name or email. */
    List<User> list(String search, String afterUsername, int limit);

    /** Thrown when a change would leave no enabled admin. */
    final class LastAdminException extends RuntimeException {
        public LastAdminException() {
            super(null, null, false, false);
        }
    }
}
