package latch.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import latch.support.Http;
import latch.support.Race;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room registry as the SFU calls it (its headers, paths and bodies, from its index.js) and as people see it. */
class RoomRegistryTest {
    private static final String SECRET = "sfu-internal-secret-0123456789abcdef";
    private static final String UPSERT = "/api/sfu/internal/rooms/upsert";
    private static final String DELETE = "/api/sfu/internal/rooms/delete";
    private static final String RESOLVE = "/api/sfu/internal/rooms/resolve?room=";
    private static final String LIST = "/api/sfu/internal/rooms/list";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theSfuUpsertsResolvesListsAndDeletesARoom() {
        run(Map.of(), latch -> {
            var sent = record("Mario Kart night");
            var upsert = upsert(latch, sent.toString());
            assertEquals(200, upsert.status(), upsert.toString());
            assertEquals("{\"ok\":true}", upsert.body());
            assertTrue(upsert.header("Content-Type").orElse("").startsWith("application/json"));

            // Byte for byte what the SFU sent, in its order, with Latch's updatedAt in place of the SFU's.
            var expected = sent.deepCopy().put("updatedAt", latch.clock().millis());
            var resolved = resolve(latch, "Mario Kart night");
            assertEquals(200, resolved.status(), resolved.toString());
            assertEquals(JSON.writeValueAsString(expected), resolved.body());

            var list = latch.http().get(LIST, sfu());
            assertEquals(200, list.status(), list.toString());
            assertEquals(1, list.json().size());
            assertEquals(expected, list.json().get("Mario Kart night"));

            var deleted = latch.http().postJson(DELETE, "{\"room_name\":\"Mario Kart night\"}", sfu());
            assertEquals(200, deleted.status(), deleted.toString());
            assertEquals("{\"ok\":true}", deleted.body());
            var gone = resolve(latch, "Mario Kart night");
            assertEquals(404, gone.status(), "the SFU reads 404 as no such room");
            assertEquals("not_found", gone.json().get("error").asText());
            assertEquals("{}", latch.http().get(LIST, sfu()).body());
            assertEquals(200, latch.http().postJson(DELETE, "{\"room_name\":\"never was\"}", sfu()).status(),
                    "deleting an unknown room is still ok");
        });
    }

    @Test
    void unknownFieldsAndNullsAreKeptAndUpdatedAtIsLatchsClockInMilliseconds() {
        run(Map.of(), latch -> {
            var sent = record("  padded  ");
            sent.put("updatedAt", 1L).put("futureField", "kept").putNull("sync_config").putNull("metadata");
            sent.putObject("nested").put("camelCase", 1).putArray("list").add(1.5).add("two").addNull();
            assertEquals(200, upsert(latch, sent.toString()).status());
            latch.clock().advance(Duration.ofSeconds(7));

            var stored = resolve(latch, "padded").json();
            assertEquals(latch.clock().millis() - 7000, stored.get("updatedAt").asLong(), "Latch's clock, not the SFU's");
            assertEquals("padded", stored.get("room_name").asText(), "trimmed, as the ROM manager stores it");
            assertEquals("kept", stored.get("futureField").asText());
            assertTrue(stored.get("sync_config").isNull());
            assertEquals(sent.get("nested"), stored.get("nested"));
            assertEquals(sent.get("nodeId"), stored.get("nodeId"), "camelCase names as sent");
            var names = new ArrayList<String>();
            stored.fieldNames().forEachRemaining(names::add);
            var sentNames = new ArrayList<String>();
            sent.fieldNames().forEachRemaining(sentNames::add);
            assertEquals(sentNames, names, "the SFU's field order");
            assertEquals(200, resolve(latch, "  padded ").status(), "a resolve is trimmed too");
        });
    }

    @Test
    void aRoomLivesOneTtlSinceItsLastUpsert() {
        run(Map.of("ROOM_REGISTRY_TTL_SECONDS", "60"), latch -> {
            upsert(latch, record("kart").toString());
            latch.clock().advance(Duration.ofSeconds(59));
            assertEquals(200, resolve(latch, "kart").status());
            upsert(latch, record("kart").toString()); // the SFU's refresh, every 30 s
            latch.clock().advance(Duration.ofSeconds(59));
            assertEquals(200, resolve(latch, "kart").status(), "a refresh starts its life again");
            latch.clock().advance(Duration.ofSeconds(1));
            assertEquals(404, resolve(latch, "kart").status());
            assertEquals("{}", latch.http().get(LIST, sfu()).body());
            latch.deps().jobs().runNow("netplay-rooms");
            assertEquals("{}", latch.http().get(LIST, sfu()).body());
        });
    }

    @Test
    void aWrongOrMissingSecretIs401AndAnUnsetOneIs503() {
        run(Map.of(), latch -> {
            for (String[] headers : new String[][] {{"x-romm-sfu-secret", "wrong", "Accept", "application/json"},
                    {"Accept", "application/json"}}) {
                assertEquals(401, latch.http().postJson(UPSERT, record("r").toString(), headers).status());
                assertEquals(401, latch.http().postJson(DELETE, "{\"room_name\":\"r\"}", headers).status());
                assertEquals(401, latch.http().get(RESOLVE + "r", headers).status());
                var list = latch.http().get(LIST, headers);
                assertEquals(401, list.status());
                assertEquals("unauthorized", list.json().get("detail").asText());
            }
            assertEquals(404, resolve(latch, "r").status(), "nothing was stored");
        });
        TestLatch.run(dir.resolve("unset"), Map.of(), latch -> {
            var res = latch.http().postJson(UPSERT, record("r").toString(), sfu());
            assertEquals(503, res.status(), res.toString());
            assertEquals(503, latch.http().get(LIST, sfu()).status());
        });
    }

    @Test
    void aRecordWithoutARoomNameOrNotAnObjectIs400() {
        run(Map.of(), latch -> {
            for (String body : new String[] {"{\"room_name\":\"\"}", "{\"room_name\":\"   \"}", "{\"current\":1}",
                    "{\"room_name\":null}", "{\"room_name\":42}", "{\"room_name\":[\"a\"]}", "[{\"room_name\":\"a\"}]",
                    "\"a\"", "null", "42", "{\"room_name\":\"a\"", "{\"room_name\":\"a\"} {}",
                    "{\"room_name\":\"" + "r".repeat(257) + "\"}"}) {
                var res = latch.http().postJson(UPSERT, body, sfu());
                assertEquals(400, res.status(), body + " -> " + res);
                assertTrue(res.json().has("error") && res.json().has("message"), res.toString());
            }
            assertEquals(400, latch.http().postJson(DELETE, "{\"room_name\":\" \"}", sfu()).status());
            assertEquals(400, latch.http().postJson(DELETE, "{}", sfu()).status());
            assertEquals(400, latch.http().get("/api/sfu/internal/rooms/resolve", sfu()).status());
            assertEquals(400, latch.http().get(RESOLVE, sfu()).status());
            assertEquals("{}", latch.http().get(LIST, sfu()).body());
        });
    }

    @Test
    void aRecordOver16KiBIs413() {
        run(Map.of(), latch -> {
            // The limit is on the record as stored: with Latch's updatedAt, serialised compactly.
            var record = record("big").put("updatedAt", latch.clock().millis()).put("pad", "");
            int pad = RoomService.MAX_RECORD_BYTES - JSON.writeValueAsBytes(record).length;
            record.put("pad", "x".repeat(pad));
            assertEquals(200, upsert(latch, record.toString()).status(), "exactly 16 KiB is allowed");
            record.put("pad", "x".repeat(pad + 1));
            var res = upsert(latch, record.toString());
            assertEquals(413, res.status(), res.toString());
            assertEquals("payload_too_large", res.json().get("error").asText());
            assertEquals(pad, resolve(latch, "big").json().get("pad").asText().length(), "the old record stays");
        });
    }

    @Test
    void pastTheCapANewRoomIs429ButAKnownRoomIsStillRefreshed() {
        run(Map.of("SFU_MAX_ROOMS", "3", "ROOM_REGISTRY_TTL_SECONDS", "60"), latch -> {
            for (String name : List.of("one", "two", "three")) {
                assertEquals(200, upsert(latch, record(name).toString()).status());
            }
            var refused = upsert(latch, record("four").toString());
            assertEquals(429, refused.status(), refused.toString());
            assertEquals("60", refused.header("Retry-After").orElse(null));
            assertEquals("too_many_rooms", refused.json().get("error").asText());
            assertEquals(404, resolve(latch, "four").status());

            assertEquals(200, upsert(latch, record("two").toString()).status(), "a refresh is always allowed");
            latch.http().postJson(DELETE, "{\"room_name\":\"one\"}", sfu());
            assertEquals(200, upsert(latch, record("four").toString()).status(), "a deleted room gives its place back");
            assertEquals(429, upsert(latch, record("five").toString()).status());

            // Rooms whose SFU stopped refreshing them give their places back once expired, even before a sweep.
            latch.clock().advance(Duration.ofSeconds(30));
            upsert(latch, record("four").toString());
            latch.clock().advance(Duration.ofSeconds(30));
            assertEquals(200, upsert(latch, record("five").toString()).status());
            assertEquals(200, upsert(latch, record("six").toString()).status());
            assertEquals(429, upsert(latch, record("seven").toString()).status());
            assertEquals(List.of("five", "four", "six"), names(latch.http().get(LIST, sfu()).json()));
        });
    }

    @Test
    void peopleSeeLiveRoomsWithTheIssuerAndNeverAPassword() {
        run(Map.of(), latch -> {
            var room = record("with secret");
            room.put("password", "hunter2").put("hasPassword", true);
            upsert(latch, room.toString());
            upsert(latch, record("open").toString());

            assertEquals(401, latch.http().get("/api/sfu/rooms").status(), "sign-in required");
            assertEquals(401, latch.http().get("/api/sfu/rooms", sfu()).status(), "the SFU's secret is no sign-in");
            String admin = latch.setupAdmin();
            String romsOnly = latch.http().postJson("/api/client-tokens", "{\"name\":\"sync\",\"scopes\":[\"roms.read\"]}",
                    "Authorization", Http.bearer(admin)).json().get("token").asText();
            String romsGrant = latch.http().postForm("/api/token", "grant_type=password&username=" + TestLatch.ADMIN
                    + "&password=" + URLEncoder.encode(TestLatch.ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&scope=roms.read")
                    .json().get("access_token").asText();
            for (String narrow : new String[] {romsOnly, romsGrant}) {
                var res = latch.http().get("/api/sfu/rooms", "Authorization", Http.bearer(narrow));
                assertEquals(403, res.status(), res.toString());
                assertEquals("insufficient_scope", res.json().get("error").asText());
            }

            String sfuRead = latch.http().postJson("/api/client-tokens", "{\"name\":\"lobby\",\"scopes\":[\"sfu.read\"]}",
                    "Authorization", Http.bearer(admin)).json().get("token").asText();
            for (String token : new String[] {admin, sfuRead}) {
                var res = latch.http().get("/api/sfu/rooms", "Authorization", Http.bearer(token));
                assertEquals(200, res.status(), res.toString());
                assertFalse(res.body().contains("hunter2"), res.body());
                var rooms = res.json().get("rooms");
                assertEquals(2, rooms.size());
                for (JsonNode listed : rooms) {
                    assertEquals(latch.settings().server().issuer(), listed.get("issuer").asText());
                    assertEquals("https://sfu.example.com", listed.get("url").asText(), "the node's url is kept");
                    assertFalse(listed.has("password"));
                }
                assertTrue(rooms.get(1).get("hasPassword").asBoolean(), rooms.toString());
            }
            assertEquals("hunter2", resolve(latch, "with secret").json().get("password").asText(),
                    "the SFU itself gets back what it sent");

            latch.clock().advance(Duration.ofSeconds(61));
            var later = latch.http().get("/api/sfu/rooms", "Authorization", Http.bearer(sfuRead));
            assertEquals(0, later.json().get("rooms").size(), "only live rooms: " + later);
        });
    }

    @Test
    void concurrentNewRoomsNeverPassTheCap() {
        run(Map.of("SFU_MAX_ROOMS", "5"), latch -> {
            var statuses = Race.run(20, racer -> upsert(latch, record("room " + racer).toString()).status());
            assertEquals(5, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(15, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
            assertEquals(5, latch.http().get(LIST, sfu()).json().size());
        });
    }

    // The SFU's own calls: its headers exactly, and the record registryUpsertRoom builds.

    private static String[] sfu() {
        return new String[] {"x-romm-sfu-secret", SECRET, "Accept", "application/json"};
    }

    private static Http.Response upsert(TestLatch latch, String body) {
        return latch.http().postJson(UPSERT, body, sfu());
    }

    private static Http.Response resolve(TestLatch latch, String room) {
        return latch.http().get(RESOLVE + URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20"), sfu());
    }

    private static ObjectNode record(String name) {
        var record = JSON.createObjectNode().put("room_name", name).put("current", 1).put("max", 4)
                .put("hasPassword", false).put("netplay_mode", "live_stream").put("room_phase", "running");
        record.putNull("sync_config");
        record.put("spectator_mode", 1).put("game_id", 12);
        record.putObject("metadata").putObject("rom").put("displayName", "Mario Kart 64");
        record.put("rom_hash", "abc123").put("core_type", "mupen64plus_next").put("nodeId", "node-a")
                .put("url", "https://sfu.example.com").put("updatedAt", 1_700_000_000_000L);
        return record;
    }

    private static List<String> names(JsonNode list) {
        var out = new ArrayList<String>();
        list.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private void run(Map<String, String> overrides, TestLatch.Body body) {
        var settings = new HashMap<>(overrides);
        settings.put("ROMM_SFU_INTERNAL_SECRET", SECRET);
        TestLatch.run(dir, settings, body);
    }
}
