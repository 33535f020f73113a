package latch.invite;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An admin names an invitation; the list shows the name and what became of each link. */
class InviteNamesTest {
    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    @Test
    void aNamedInvitationIsListedWithItsNameAndTheNameIsAudited() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var created = latch.http().postJson("/api/invites", "{\"name\":\"  for Grandma's tablet \",\"max_uses\":3}", bearer(admin));
            assertEquals(201, created.status(), created.toString());
            assertEquals("for Grandma's tablet", created.json().get("name").asText(), "trimmed");
            var unnamed = latch.http().postJson("/api/invites", "{\"name\":\"   \"}", bearer(admin));
            assertTrue(unnamed.json().get("name").isNull(), "blank is no name: " + unnamed);

            var listed = latch.http().get("/api/invites", bearer(admin)).json().get("invites");
            assertEquals(2, listed.size());
            var named = listed.get(1);
            assertEquals(created.json().get("id").asText(), named.get("id").asText());
            assertEquals("for Grandma's tablet", named.get("name").asText());
            assertEquals("active", named.get("state").asText());
            assertEquals(3, named.get("max_uses").asInt());
            assertEquals(0, named.get("uses").asInt());
            assertTrue(named.get("revoked_at").isNull());
            assertTrue(listed.get(0).get("name").isNull());

            assertEquals(204, latch.http().delete("/api/invites/" + named.get("id").asText(), bearer(admin)).status());
            var audit = latch.http().get("/api/admin/audit?type=invite_created", bearer(admin)).json().get("events").toString();
            assertTrue(audit.contains("invitation \\\"for Grandma's tablet\\\" (role viewer, 3 uses) from admin"), audit);
            var revoked = latch.http().get("/api/admin/audit?type=invite_revoked", bearer(admin)).json().get("events").toString();
            assertTrue(revoked.contains("for Grandma's tablet"), revoked);
        });
    }

    @Test
    void aNameIsPlainTextOfAtMostEightyCharacters() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            assertEquals(201, latch.http().postJson("/api/invites", "{\"name\":\"" + "é".repeat(80) + "\"}", bearer(admin)).status(),
                    "eighty characters, counted as characters rather than bytes");
            for (String name : new String[] {"x".repeat(81), "tab\\tinside", "line\\nbreak", "right\\u202eto left", "zero\\u200bwidth"}) {
                var res = latch.http().postJson("/api/invites", "{\"name\":\"" + name + "\"}", bearer(admin));
                assertEquals(400, res.status(), name + ": " + res);
                assertEquals("invalid_invite_name", res.json().get("error").asText());
            }
            var html = latch.http().postJson("/api/invites", "{\"name\":\"<img src=x onerror=alert(1)>\"}", bearer(admin));
            assertEquals("<img src=x onerror=alert(1)>", html.json().get("name").asText(), "kept as text; the page never parses it");
            assertEquals(2, latch.http().get("/api/invites", bearer(admin)).json().get("invites").size(), "refused ones were not made");
        });
    }

    @Test
    void eachListedInvitationSaysWhetherItIsActiveUsedUpExpiredOrRevoked() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String expiring = id(latch.http().postJson("/api/invites", "{\"name\":\"expiring\",\"expires_in_seconds\":60}", bearer(admin)));
            var usedUp = latch.http().postJson("/api/invites", "{\"name\":\"used up\"}", bearer(admin)).json();
            String revoked = id(latch.http().postJson("/api/invites", "{\"name\":\"revoked\"}", bearer(admin)));
            String active = id(latch.http().postJson("/api/invites", "{\"name\":\"active\",\"max_uses\":2}", bearer(admin)));
            assertEquals(201, latch.http().postJson("/api/auth/register", "{\"invite\":\"" + usedUp.get("token").asText()
                    + "\",\"username\":\"newbie\",\"password\":\"invitee password\"}").status());
            assertEquals(204, latch.http().delete("/api/invites/" + revoked, bearer(admin)).status());
            latch.clock().advance(Duration.ofSeconds(61));

            var listed = latch.http().get("/api/invites", bearer(admin)).json().get("invites");
            assertEquals(List.of(active, revoked, usedUp.get("id").asText(), expiring),
                    List.of(listed.get(0).get("id").asText(), listed.get(1).get("id").asText(), listed.get(2).get("id").asText(),
                            listed.get(3).get("id").asText()), "newest first");
            assertEquals(List.of("active", "revoked", "used_up", "expired"), InviteTest.states(latch, admin));
            assertEquals(1, listed.get(2).get("uses").asInt());
            assertTrue(Instant.parse(listed.get(1).get("revoked_at").asText()).isBefore(latch.clock().instant()));
            assertTrue(Instant.parse(listed.get(3).get("expires_at").asText()).isBefore(latch.clock().instant()));
        });
    }

    private static String id(latch.support.Http.Response res) {
        assertEquals(201, res.status(), res.toString());
        return res.json().get("id").asText();
    }
}
