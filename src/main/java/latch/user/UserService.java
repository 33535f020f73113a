package latch.user;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import latch.http.ApiError;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users and the rules about them. Lookups by id are cached so checking a token costs no SQL; every change made
 * through this service invalidates the cached entry at once.
 */
public final class UserService {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final UserStore store;
    private final LoadingCache<Long, Optional<User>> byId;

    public UserService(UserStore store) {
        this.store = store;
        this.byId = Caffeine.newBuilder()
                .maximumSize(10_000)
                // Writes through Latch invalidate at once; the short expiry picks up changes made by the admin CLI.
                .expireAfterWrite(Duration.ofMinutes(1))
                .build(store::findById);
    }

    /** The user with this id, from the cache when possible. */
    public Optional<User> find(long id) {
        return byId.get(id);
    }

    /** The user as the database has them now, bypassing and refreshing the cache: for decisions that must be current. */
    public Optional<User> findCurrent(long id) {
        Optional<User> user = store.findById(id);
        byId.put(id, user);
        return user;
    }

    public Optional<User> findByUsername(String username) {
        return store.findByUsername(username);
    }

    public boolean hasUsers() {
        return store.count() > 0;
    }

    /** Creates the instance's first admin; 409 if any user exists already. */
    public User createFirstAdmin(String username, String passwordHash) {
        User user = store.createIfNoUsers(username, passwordHash, Role.ADMIN)
                .orElseThrow(() -> ApiError.conflict("already_set_up", "This Latch already has an admin; sign in instead."));
        byId.invalidate(user.id());
        return user;
    }

    public void replacePasswordHash(long id, String passwordHash) {
        store.updatePasswordHash(id, passwordHash);
        byId.invalidate(id);
    }

    /** Forgets a cached user after a change made directly through the store. */
    public void invalidate(long id) {
        byId.invalidate(id);
    }

    /** Forgets every cached user, after changes made outside this server. */
    public void forgetAll() {
        byId.invalidateAll();
    }

    /** Usernames: 1-64 characters, letters, digits and . _ @ -, starting with a letter or digit. */
    public static String checkUsername(String username) {
        if (username == null || username.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "The field 'username' is required.");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw ApiError.badRequest("invalid_username",
                    "A username is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.");
        }
        return username;
    }
}
