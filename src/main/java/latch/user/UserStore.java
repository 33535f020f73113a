package latch.user;

import java.util.Optional;

/** Users at rest. SQLite today; PostgreSQL later behind the same calls. */
public interface UserStore {
    Optional<User> findById(long id);

    /** Case-insensitive: "Alice" and "alice" are one account. */
    Optional<User> findByUsername(String username);

    long count();

    /** Creates the first user only while there is none, atomically; empty if someone else was first. */
    Optional<User> createIfNoUsers(String username, String passwordHash, Role role);

    void updatePasswordHash(long id, String passwordHash);
}
