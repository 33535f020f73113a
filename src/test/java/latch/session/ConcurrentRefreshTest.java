package latch.session;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One session token refreshed several times at once has exactly one successor: the rest are replays. */
class ConcurrentRefreshTest {
    @TempDir
    Path dir;

    @Test
    void simultaneousRefreshesOfOneTokenMintOneSuccessor() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            int callers = 6;
            var start = new CountDownLatch(1);
            var pool = Executors.newFixedThreadPool(callers);
            try {
                var calls = new ArrayList<Callable<Integer>>();
                for (int i = 0; i < callers; i++) {
                    calls.add(() -> {
                        start.await();
                        return latch.http().post("/api/auth/refresh", "Authorization", Http.bearer(token)).status();
                    });
                }
                var futures = calls.stream().map(pool::submit).toList();
                start.countDown();
                int ok = 0;
                int refused = 0;
                for (var f : futures) {
                    int status = f.get();
                    if (status == 200) {
                        ok++;
                    } else if (status == 401) {
                        refused++;
                    }
                }
                assertEquals(1, ok, "exactly one refresh wins");
                assertEquals(callers - 1, refused, "every other one is a replay");
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void refreshingInALoopIsLimitedSoTheBlocklistCannotBeGrownWithoutBound() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            int refreshed = 0;
            Http.Response res;
            while ((res = latch.http().post("/api/auth/refresh", "Authorization", Http.bearer(token))).status() == 200) {
                token = res.json().get("token").asText();
                refreshed++;
            }
            assertEquals(latch.settings().limits().refreshPerUser().capacity(), refreshed);
            assertEquals(429, res.status(), res.toString());
            assertEquals(true, res.header("Retry-After").isPresent());
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(token)).status(),
                    "the newest token still works; only refreshing waits");
        });
    }
}
