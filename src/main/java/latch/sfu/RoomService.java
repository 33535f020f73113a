package latch.sfu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import latch.http.ApiError;
import latch.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The netplay room registry as the SFU knows it from the ROM manager: a node upserts each room it hosts (every
 * half TTL), deletes it when it closes, and resolves or lists rooms to send players to the right node. A record is
 * kept as the SFU sent it, unknown fields and camelCase names included, with {@code room_name} trimmed and
 * {@code updatedAt} set to Latch's clock in epoch milliseconds, as the ROM manager does.
 */
public final class RoomService {
    static final int MAX_RECORD_BYTES = 16 * 1024;
    static final int MAX_NAME_LENGTH = 256;
    private static final byte[] EMPTY_LIST = {'{', '}'};

    /**
     * The rooms a person may join: this instance's, each with its {@code issuer}. Rooms other instances announce are
     * appended to the same list, told apart by their {@code issuer}.
     */
    public record RoomListing(List<ObjectNode> rooms) {}

    private final RoomRegistry registry;
    private final RemoteRooms remote;
    private final String issuer;
    private final long retryAfterSeconds;
    private final Clock clock;
    private final ObjectMapper json = Json.mapper();

    public RoomService(RoomRegistry registry, RemoteRooms remote, String issuer, Duration roomTtl, Clock clock) {
        this.registry = registry;
        this.remote = remote;
        this.issuer = issuer;
        // A place frees when a room is deleted or, at the latest, when one its SFU stopped refreshing expires.
        this.retryAfterSeconds = Math.max(1, roomTtl.toSeconds());
        this.clock = clock;
    }

    /** Stores a room the SFU announces; 413 past {@link #MAX_RECORD_BYTES}, 429 for a new room past the cap. */
    public void upsert(JsonNode body) {
        if (!(body instanceof ObjectNode record)) {
            throw ApiError.badRequest("invalid_json", "The room record must be a JSON object.")
                    .withDetail("invalid room record");
        }
        String name = roomName(text(record.get("room_name")), "room_name");
        // put() keeps a field where the SFU placed it, so the stored record reads as it was sent.
        record.put("room_name", name);
        record.put("updatedAt", clock.millis());
        byte[] bytes = encode(record);
        if (bytes.length > MAX_RECORD_BYTES) {
            throw new ApiError(413, "payload_too_large", "A room record may be at most " + MAX_RECORD_BYTES + " bytes.")
                    .withDetail("room record too large");
        }
        if (!registry.upsert(name, bytes)) {
            String message = "Latch already holds as many netplay rooms as SFU_MAX_ROOMS allows; try again in "
                    + retryAfterSeconds + " seconds.";
            throw new ApiError(429, "too_many_rooms", message, Map.of("Retry-After", Long.toString(retryAfterSeconds)))
                    .withDetail("too many rooms");
        }
    }

    /** Forgets a room; an unknown one is no error, as with the ROM manager. */
    public void delete(JsonNode body) {
        if (!(body instanceof ObjectNode request)) {
            throw ApiError.badRequest("invalid_json", "Send {\"room_name\": \"...\"}.").withDetail("missing room_name");
        }
        registry.delete(roomName(text(request.get("room_name")), "room_name"));
    }

    /** The room's record as stored; 404 when there is no such live room (the SFU's "no such room"). */
    public byte[] resolve(String room) {
        return registry.resolve(roomName(room, "room")).orElseThrow(() ->
                ApiError.notFound("There is no netplay room by that name.").withDetail("not found"));
    }

    /** Every live room as one JSON object keyed by room name, each value the record as stored. */
    public byte[] listForSfu() {
        Map<String, byte[]> rooms = registry.list();
        if (rooms.isEmpty()) {
            return EMPTY_LIST;
        }
        var out = new ByteArrayOutputStream();
        out.write('{');
        boolean first = true;
        for (var room : rooms.entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeBytes(encode(room.getKey()));
            out.write(':');
            out.writeBytes(room.getValue());
        }
        out.write('}');
        return out.toByteArray();
    }

    /**
     * The live rooms for people: this instance's, then those of trusted instances that share theirs, each with the
     * {@code issuer} it belongs to and its node's {@code url} kept; anything named like a password never shown.
     */
    public RoomListing listForPeople() {
        var rooms = listOwn().rooms();
        for (RemoteRooms.Listing other : remote.rooms()) {
            for (ObjectNode room : other.rooms()) {
                // What a peer answers is cleaned again here, and its issuer is the one our registry names, never
                // what the record claims: a peer cannot pass its rooms off as ours or another's.
                rooms.add(forPeople(room.deepCopy(), other.issuer()));
            }
        }
        return new RoomListing(rooms);
    }

    /**
     * This instance's own live rooms, as people see them: what a trusted peer is answered. Never the rooms this
     * instance learned from its own peers, so instances that trust each other do not pass rooms round in circles.
     */
    public RoomListing listOwn() {
        var rooms = new ArrayList<ObjectNode>();
        for (byte[] record : registry.list().values()) {
            rooms.add(forPeople(record));
        }
        return new RoomListing(rooms);
    }

    /** Forgets expired rooms; run by a job. */
    public int sweep() {
        return registry.sweep();
    }

    private ObjectNode forPeople(byte[] record) {
        ObjectNode room;
        try {
            room = (ObjectNode) json.readTree(record);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored room record is not JSON", e);
        }
        return forPeople(room, issuer);
    }

    private static ObjectNode forPeople(ObjectNode room, String issuer) {
        // The SFU sends hasPassword only, but a password it ever sent would be shown to every player otherwise.
        var secrets = new ArrayList<String>();
        boolean hadPassword = false;
        for (var names = room.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!field.equals("hasPassword") && field.toLowerCase(Locale.ROOT).contains("password")) {
                secrets.add(field);
                hadPassword |= room.get(field).isTextual() && !room.get(field).asText().isEmpty();
            }
        }
        room.remove(secrets);
        if (hadPassword && !room.has("hasPassword")) {
            room.put("hasPassword", true);
        }
        room.put("issuer", issuer);
        return room;
    }

    private static String text(JsonNode value) {
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** A room's name as the ROM manager takes it: stripped of surrounding white space, not empty. */
    private static String roomName(String raw, String field) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "'" + field + "' must be a non-empty string naming the room.")
                    .withDetail("missing " + field);
        }
        // The record's own cap bounds a room; this bounds its name, which is also kept as the registry's key.
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiError.badRequest("invalid_request", "'" + field + "' may be at most " + MAX_NAME_LENGTH + " characters.")
                    .withDetail("invalid " + field);
        }
        return name;
    }

    private byte[] encode(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a room record as JSON", e);
        }
    }
}
