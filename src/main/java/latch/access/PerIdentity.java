package latch.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import latch.user.User;

import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Answers that depend only on who the caller is and what they may do (the {@code Remote-*} headers, the body of
 * {@code /api/auth/me}), built once per identity rather than per request. The key is every user field such an
 * answer shows, plus the scope set, so a renamed, re-roled or narrowed caller simply misses: nothing has to be
 * told to forget. Whether the caller is still allowed at all is decided before, on every request. Per node and
 * rebuilt from the user cache, so it needs no shared backend.
 */
public final class PerIdentity<T> {
    private final Cache<Key, T> answers;

    public PerIdentity(int maxIdentities) {
        this.answers = Caffeine.newBuilder().maximumSize(maxIdentities).build();
    }

    /** {@code user} may be null: an anonymous visitor with {@code scopes} (kiosk mode). */
    public T get(User user, Set<String> scopes, BiFunction<User, Set<String>, T> build) {
        return answers.get(new Key(user, scopes), k -> build.apply(k.user, k.scopes));
    }

    /**
     * Equals and hashCode written out: a record's generated ones go through method handles that the C1 compiler
     * Latch is recommended to run with does not inline, and this lookup runs on every request it serves.
     */
    private static final class Key {
        private final User user;
        private final Set<String> scopes;
        private final int hash;

        Key(User user, Set<String> scopes) {
            this.user = user;
            this.scopes = scopes;
            this.hash = user == null ? scopes.hashCode()
                    : Objects.hash(user.id(), user.username(), user.role(), user.displayName(), user.email(), scopes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && sameIdentity((Key) o);
        }

        private boolean sameIdentity(Key k) {
            if (hash != k.hash || (user == null) != (k.user == null) || !scopes.equals(k.scopes)) {
                return false;
            }
            return user == null || user == k.user || (user.id() == k.user.id() && user.role() == k.user.role()
                    && Objects.equals(user.username(), k.user.username()) && Objects.equals(user.displayName(), k.user.displayName())
                    && Objects.equals(user.email(), k.user.email()));
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
