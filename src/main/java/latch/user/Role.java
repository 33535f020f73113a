package latch.user;

import java.util.Locale;
import java.util.Optional;

/** What a user is to the household: each role is a set of scopes (the scope mapping arrives with accounts). */
public enum Role {
    VIEWER, EDITOR, ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.wireName().equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
