package latch.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import latch.http.Json;

/**
 * The netplay room registry's endpoints: upsert, delete, resolve and list for the SFU (behind {@link SfuSecret}),
 * in the ROM manager's paths and shapes, and the room list for people.
 */
public final class RoomController {
    record Done(boolean ok) {}

    private static final Done OK = new Done(true);
    private final RoomService rooms;

    public RoomController(RoomService rooms) {
        this.rooms = rooms;
    }

    /** {@code POST /api/sfu/internal/rooms/upsert}: the room's record, whatever fields the SFU sends. */
    public void upsert(Context ctx) {
        rooms.upsert(Json.body(ctx, JsonNode.class));
        Json.send(ctx, OK);
    }

    /** {@code POST /api/sfu/internal/rooms/delete}: {@code {"room_name"}}. */
    public void delete(Context ctx) {
        rooms.delete(Json.body(ctx, JsonNode.class));
        Json.send(ctx, OK);
    }

    /** {@code GET /api/sfu/internal/rooms/resolve?room=}: the record as stored, or 404. */
    public void resolve(Context ctx) {
        Json.sendEncoded(ctx, rooms.resolve(ctx.queryParam("room")));
    }

    /** {@code GET /api/sfu/internal/rooms/list}: {@code {"<room name>": record, ...}}. */
    public void list(Context ctx) {
        Json.sendEncoded(ctx, rooms.listForSfu());
    }

    /** {@code GET /api/sfu/rooms}: {@code {"rooms": [...]}} for a person holding {@code sfu.read}. */
    public void listForPeople(Context ctx) {
        Json.send(ctx, rooms.listForPeople());
    }
}
