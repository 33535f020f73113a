package latch.session;

import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * The blocklist in memory as compact fingerprints ({@link RevocationSet}) in front of the durable store: a token
 * that was never revoked is cleared with one probe and no SQL; a fingerprint hit is confirmed against the indexed
 * table. Revocations from this and every other process arrive through the change feed. Loading the store at
 * start runs in the background so no table size delays the start; until it is done every check asks the store,
 * which is slower but never wrong.
 */
public final class CompactBlocklist implements Blocklist {
    private static final Logger log = LoggerFactory.getLogger(CompactBlocklist.class);

    private final RevocationStore store;
    private final ChangeFeed feed;
    private final Clock clock;
    private final RevocationSet set = new RevocationSet(0);
    private volatile boolean loaded;

    public CompactBlocklist(RevocationStore store, ChangeFeed feed, Clock clock) {
        this.store = store;
        this.feed = feed;
        this.clock = clock;
        feed.onCommitted(Change.TokenRevoked.class, c -> set.add(RevocationSet.fingerprint(c.tokenId()), c.until().getEpochSecond()));
        feed.onCommitted(Change.Resync.class, c -> load());
    }

    /** Reads every revocation in force into memory; checks ask the store until it is done. */
    public synchronized void load() {
        loaded = false;
        set.clear();
        long started = System.nanoTime();
        int[] count = {0};
        store.forEachActive(clock.instant(), (id, until) -> {
            set.add(RevocationSet.fingerprint(id), until);
            count[0]++;
        });
        loaded = true;
        log.info("blocklist: {} revocations in memory ({} KiB) after {} ms", count[0], set.footprint() / 1024,
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public boolean revoke(Tx tx, String id, Instant until) {
        if (!until.isAfter(clock.instant())) {
            return true; // already expired: nothing left to block, and nobody can use it to go on
        }
        boolean first = store.insert(tx, id, until);
        feed.publish(tx, new Change.TokenRevoked(id, until));
        return first;
    }

    @Override
    public boolean isRevoked(String id) {
        if (!loaded) {
            return store.isRevoked(id, clock.instant());
        }
        return set.mightContain(RevocationSet.fingerprint(id)) && store.isRevoked(id, clock.instant());
    }

    /** Forgets revocations whose tokens have expired, in memory and (in batches) in the store; returns how many rows. */
    public int purge(int batch) {
        Instant now = clock.instant();
        set.purge(now.getEpochSecond());
        return store.purgeExpired(now, batch);
    }

    /** How many revocations memory holds, and in how many bytes: for the benchmark and tests. */
    /** Revocations held in memory now. */
    public int size() {
        return set.size();
    }

    public String describe() {
        return set.size() + " revocations in " + set.footprint() + " bytes";
    }
}
