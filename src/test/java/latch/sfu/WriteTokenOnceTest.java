package latch.sfu;

import latch.support.Http;
import latch.support.Race;
import latch.support.RaisesAlerts;
import latch.support.Sfu;
import latch.support.SqliteOnly;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A write token opens or joins one room, once: whatever the timing, and across a restart. */
class WriteTokenOnceTest {
    @TempDir
    Path dir;

    @Test
    @RaisesAlerts("fifty consumes of one write token: forty-nine replays")
    void ofFiftyConcurrentConsumesExactlyOneSucceedsEveryTime() throws Exception {
        TestLatch.run(dir, Map.of("ROMM_SFU_INTERNAL_SECRET", Sfu.SECRET, "SFU_MINT_PER_MINUTE", "1000"), latch -> {
            String admin = latch.setupAdmin();
            for (int round = 0; round < 100; round++) {
                String token = latch.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "Authorization", Http.bearer(admin))
                        .json().get("token").asText();
                var answers = Race.run(50, racer -> Sfu.verify(latch, token, true));
                long won = answers.stream().filter(r -> r.status() == 200).count();
                assertEquals(1, won, "round " + round);
                for (var lost : answers) {
                    if (lost.status() != 200) {
                        assertEquals(401, lost.status(), lost.toString());
                        assertEquals("token already used", lost.json().get("detail").asText());
                    }
                }
            }
        });
    }

    @Test
    @SqliteOnly("one box keeps the ledger in memory; nodes sharing a database keep it there (SharedNetplayTest)")
    void aTokenMintedBeforeARestartIsRefusedAfterIt() throws Exception {
        var settings = Map.of("ROMM_SFU_INTERNAL_SECRET", Sfu.SECRET);
        var clock = new TestClock();
        String unused;
        String used;
        try (var before = TestLatch.start(dir, settings, clock)) {
            String admin = before.setupAdmin();
            unused = before.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "Authorization", Http.bearer(admin))
                    .json().get("token").asText();
            used = before.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "Authorization", Http.bearer(admin))
                    .json().get("token").asText();
            assertEquals(200, Sfu.verify(before, used, true).status());
        }
        try (var after = TestLatch.start(dir, settings, clock)) {
            for (String token : new String[] {unused, used}) {
                var res = Sfu.verify(after, token, true);
                assertEquals(401, res.status(), res.toString());
                assertEquals("token not found", res.json().get("detail").asText());
            }
        }
    }
}
