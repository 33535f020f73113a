package latch.session;

import java.util.concurrent.locks.StampedLock;

/**
 * Revoked token ids as 64-bit fingerprints in an open-addressing table of primitives, each with the second it
 * stops mattering: 12 bytes a slot at most half full, so a million revocations take 24 MB where a map of strings
 * took hundreds. A fingerprint can collide; a hit is only a "maybe", which the caller confirms against the store.
 * Reads take no lock (an optimistic stamp, retried when a write overlapped); writes are serialised.
 */
final class RevocationSet {
    /** Expiry as seconds from 2025-01-01 fit an int until 2093. */
    static final long EPOCH = 1_735_689_600L;
    private static final int MIN_CAPACITY = 1024;

    private final StampedLock lock = new StampedLock();
    private long[] keys;
    private int[] until;
    private int size;

    RevocationSet(int expected) {
        allocate(capacityFor(expected));
    }

    private static int capacityFor(int entries) {
        int capacity = MIN_CAPACITY;
        while (capacity < (long) entries * 2) {
            capacity <<= 1;
        }
        return capacity;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        until = new int[capacity];
        size = 0;
    }

    /** The fingerprint of a token id: a 64-bit hash, never 0 (the empty slot). */
    static long fingerprint(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        // MurmurHash3's finaliser spreads FNV's weak low bits over the whole word.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    static int seconds(long epochSecond) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, epochSecond - EPOCH));
    }

    void add(long fingerprint, long untilEpochSecond) {
        long stamp = lock.writeLock();
        try {
            if ((size + 1) * 2L > keys.length) {
                rehash(keys.length * 2, Integer.MIN_VALUE);
            }
            put(fingerprint, seconds(untilEpochSecond));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private void put(long fingerprint, int expires) {
        int mask = keys.length - 1;
        int i = (int) fingerprint & mask;
        while (keys[i] != 0) {
            if (keys[i] == fingerprint) {
                until[i] = Math.max(until[i], expires);
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = fingerprint;
        until[i] = expires;
        size++;
    }

    boolean mightContain(long fingerprint) {
        long stamp = lock.tryOptimisticRead();
        boolean found = probe(fingerprint);
        if (lock.validate(stamp)) {
            return found;
        }
        stamp = lock.readLock();
        try {
            return probe(fingerprint);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private boolean probe(long fingerprint) {
        long[] k = keys;
        int mask = k.length - 1;
        int i = (int) fingerprint & mask;
        for (int n = 0; n < k.length; n++) {
            long key = k[i];
            if (key == fingerprint) {
                return true;
            }
            if (key == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    /** Drops entries that expired by {@code nowEpochSecond}, shrinking the table when it emptied; returns how many. */
    int purge(long nowEpochSecond) {
        long stamp = lock.writeLock();
        try {
            int before = size;
            int live = 0;
            int now = seconds(nowEpochSecond);
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0 && until[i] > now) {
                    live++;
                }
            }
            rehash(Math.max(MIN_CAPACITY, capacityFor(live)), now);
            return before - size;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private void rehash(int capacity, int keepAfter) {
        long[] oldKeys = keys;
        int[] oldUntil = until;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0 && oldUntil[i] > keepAfter) {
                put(oldKeys[i], oldUntil[i]);
            }
        }
    }

    void clear() {
        long stamp = lock.writeLock();
        try {
            allocate(MIN_CAPACITY);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Bytes the table's arrays take. */
    long footprint() {
        long stamp = lock.readLock();
        try {
            return keys.length * 12L;
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
