package latch.access;

import com.github.benmanes.caffeine.cache.Cache;
import latch.cache.Caches;
import latch.user.User;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Answers that depend only on who the caller is and what they may do (the {@code Remote-*} headers, the body of
 * {@code /api/auth/me}), built once per identity rather than per request. The key is the user's id and revision,
 * which changes with every change to their row, and the scope set: a renamed, re-roled or narrowed caller simply
 * misses, and a field added to users later cannot be served stale. Whether the caller is still allowed at all is
 * decided before, on every request. Per node and rebuilt from the user cache, so it needs no shared backend.
 */
public final class PerIdentity<T> {
    private record Key(long userId, long revision, Set<String> scopes) {}

    private final Cache<Key, T> answers;

    public PerIdentity(int maxIdentities, Clock clock) {
        this.answers = Caches.builder(clock).maximumSize(maxIdentities).expireAfterAccess(Duration.ofHours(1)).build();
    }

    /** {@code user} may be null: an anonymous visitor with {@code scopes} (kiosk mode). */
    public T get(User user, Set<String> scopes, BiFunction<User, Set<String>, T> build) {
        var key = user == null ? new Key(-1, 0, scopes) : new Key(user.id(), user.revision(), scopes);
        return answers.get(key, k -> build.apply(user, scopes));
    }
}
