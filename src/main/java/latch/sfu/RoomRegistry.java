package latch.sfu;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The netplay rooms the SFU nodes announce (the ROM manager's {@code sfu:room:<name>} keys): one JSON record per
 * room name, living a fixed time since its last upsert, at most a fixed number of rooms. Records are opaque UTF-8
 * JSON bytes here, handed out as stored and never to be modified; what a record must hold is {@link RoomService}'s
 * business. In memory on one box ({@link LocalRoomRegistry}); Redis keys with a TTL behind the same interface on
 * several nodes.
 */
public interface RoomRegistry {
    /**
     * Stores or replaces a room's record and starts its life again. A room already held is always replaced; a new
     * one only while fewer than the cap are held, checked and taken in one step: false, storing nothing, when full.
     */
    boolean upsert(String roomName, byte[] record);

    /** Forgets a room; nothing happens for one not held. */
    void delete(String roomName);

    /** The live room's record, as stored. */
    Optional<byte[]> resolve(String roomName);

    /** Every live room's record by name, in name order. */
    Map<String, byte[]> list();

    /** Rooms held, counting expired ones not yet swept: what the cap counts. */
    int size();

    /** Forgets expired rooms, giving their places back; returns how many. */
    int sweep();

    /** A room's lifetime in milliseconds, for a registry's constructor: both limits must be positive. */
    static long checkedLifetime(Duration ttl, int maxRooms) {
        if (maxRooms < 1 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a room registry needs a positive cap and lifetime");
        }
        return ttl.toMillis();
    }
}
