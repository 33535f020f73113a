package latch.user;

import java.time.Instant;

/** A person who can sign in. {@code passwordHash} is null for accounts that sign in another way. */
public record User(long id, String username, String passwordHash, Role role, boolean enabled,
                   String displayName, String email, Instant createdAt) {

    public UserView view() {
        return new UserView(id, username, role.wireName());
    }
}
