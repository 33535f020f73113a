package latch.sfu;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry in this process's memory: per room its name, its record's bytes and about 130 bytes of map entry,
 * so at most {@code maxRooms} times (16 KiB record + name) and typically half a kilobyte a room. Expiry is read off
 * the injected clock on every read; a sweep (a job, and a refused new room) gives expired rooms' places back.
 */
public final class LocalRoomRegistry implements RoomRegistry {
    /** A room's record and when it goes. Equal only to itself, so a sweep removes exactly the entry it judged. */
    private static final class Held {
        final byte[] record;
        final long expiresAtMillis;

        Held(byte[] record, long expiresAtMillis) {
            this.record = record;
            this.expiresAtMillis = expiresAtMillis;
        }

        boolean expired(long nowMillis) {
            return nowMillis >= expiresAtMillis;
        }
    }

    private final ConcurrentHashMap<String, Held> rooms = new ConcurrentHashMap<>();
    /**
     * Places taken: one is taken (compare-and-set, never past the cap) inside the map's atomic compute before a new
     * room goes in, and given back only after one has come out, so the map never holds more rooms than the cap.
     */
    private final AtomicInteger taken = new AtomicInteger();
    private final Clock clock;
    private final long ttlMillis;
    private final int maxRooms;

    public LocalRoomRegistry(Clock clock, Duration ttl, int maxRooms) {
        this.clock = clock;
        this.ttlMillis = RoomRegistry.checkedLifetime(ttl, maxRooms);
        this.maxRooms = maxRooms;
    }

    @Override
    public boolean upsert(String roomName, byte[] record) {
        long now = clock.millis();
        var room = new Held(record, now + ttlMillis);
        if (put(roomName, room)) {
            return true;
        }
        // Full: rooms whose SFU stopped refreshing them may hold places until the next sweep; free those first.
        return sweep(now) > 0 && put(roomName, room);
    }

    private boolean put(String roomName, Held room) {
        boolean[] stored = {true};
        rooms.compute(roomName, (name, old) -> {
            // A room already held (live, or expired and not yet swept) keeps its place.
            if (old != null || takePlace()) {
                return room;
            }
            stored[0] = false;
            return null;
        });
        return stored[0];
    }

    private boolean takePlace() {
        int n;
        do {
            n = taken.get();
            if (n >= maxRooms) {
                return false;
            }
        } while (!taken.compareAndSet(n, n + 1));
        return true;
    }

    @Override
    public void delete(String roomName) {
        if (rooms.remove(roomName) != null) {
            taken.decrementAndGet();
        }
    }

    @Override
    public Optional<byte[]> resolve(String roomName) {
        Held room = rooms.get(roomName);
        return room == null || room.expired(clock.millis()) ? Optional.empty() : Optional.of(room.record);
    }

    @Override
    public Map<String, byte[]> list() {
        long now = clock.millis();
        var live = new TreeMap<String, byte[]>();
        rooms.forEach((name, room) -> {
            if (!room.expired(now)) {
                live.put(name, room.record);
            }
        });
        return live;
    }

    @Override
    public int size() {
        return taken.get();
    }

    @Override
    public int sweep() {
        return sweep(clock.millis());
    }

    private int sweep(long now) {
        int n = 0;
        for (var entry : rooms.entrySet()) {
            // remove(key, value): a room upserted again since it was judged is a different entry and stays.
            if (entry.getValue().expired(now) && rooms.remove(entry.getKey(), entry.getValue())) {
                taken.decrementAndGet();
                n++;
            }
        }
        return n;
    }
}
