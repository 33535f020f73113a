package latch.user;

import com.github.benmanes.caffeine.cache.LoadingCache;
import latch.cache.Caches;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.Tx;
import latch.db.UnitOfWork;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Users as the rest of Latch looks them up. Lookups by id are cached, so checking a token costs no SQL; the
 * cache hears of every change to an account through the change feed, from this process or any other.
 */
public final class UserDirectory {
    private final UserStore store;
    private final UnitOfWork work;
    private final ChangeFeed feed;
    private final LoadingCache<Long, Optional<User>> byId;

    public UserDirectory(UserStore store, UnitOfWork work, ChangeFeed feed, Clock clock) {
        this.store = store;
        this.work = work;
        this.feed = feed;
        // The feed keeps the cache current; the expiry only bounds how long an unused entry takes memory.
        this.byId = Caches.builder(clock).maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(30)).build(store::findById);
        feed.onCommitted(Change.AboutUser.class, c -> byId.invalidate(c.userId()));
        feed.onCommitted(Change.Resync.class, c -> byId.invalidateAll());
    }

    /** The user with this id, from the cache when possible. */
    public Optional<User> find(long id) {
        return byId.get(id);
    }

    /** The user as the database has them now, bypassing the cache: for decisions that must be current. */
    public Optional<User> findCurrent(long id) {
        return store.findById(id);
    }

    /**
     * The user as the open transaction sees them: for a rule checked inside it. (A read on another connection would
     * wait for a free one while this transaction holds its own, and under load none is free.)
     */
    public Optional<User> findCurrent(Tx tx, long id) {
        return store.findById(tx, id);
    }

    public Optional<User> findByUsername(String username) {
        return store.findByUsername(username);
    }

    /** Up to {@code limit} users with this email address (not unique: a household may share one). */
    public List<User> findByEmail(String email, int limit) {
        return store.findByEmail(email, limit);
    }

    public boolean isClaimed() {
        return store.isClaimed();
    }

    /** Replaces a hash made at an older cost with one made now, for a user who just signed in with the password. */
    public void storeRehashed(long id, String passwordHash) {
        work.run(tx -> {
            store.update(tx, id, new UserChange(null, null, passwordHash, null, null, null));
            feed.publish(tx, new Change.UserChanged(id));
        });
    }

    public List<User> list(String search, String afterUsername, int limit) {
        return store.list(search, afterUsername, limit);
    }
}
