package latch.account;

import latch.support.TestDatabases;
import latch.support.Http;
import latch.support.Race;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The last enabled admin is kept by the database itself (the last_admin CHECK over a count the triggers keep), not
 * by a read before the write: admins who demote, disable or delete themselves all at once leave exactly one.
 */
class ConcurrentAdminChangesTest {
    private static final int ADMINS = 18;
    private static final String PASSWORD = "admin racer password";

    @TempDir
    Path dir;

    private record Admin(long id, String token) {}

    /** {@link #ADMINS} admins, each signed in; the first is the one setup made. */
    private static List<Admin> admins(TestLatch latch) {
        String first = latch.setupAdmin();
        var admins = new ArrayList<Admin>();
        admins.add(new Admin(1, first));
        for (int i = 1; i < ADMINS; i++) {
            long id = latch.createUser(first, "root" + i, PASSWORD, "admin");
            admins.add(new Admin(id, latch.token("root" + i, PASSWORD)));
        }
        return admins;
    }

    private long enabledAdmins() throws Exception {
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery("SELECT (SELECT COUNT(*) FROM users WHERE role = 'admin' AND enabled = 1),"
                     + " (SELECT enabled_admins FROM instance_state)")) {
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2), "the kept count matches the users table");
            return rs.getLong(1);
        }
    }

    @Test
    void adminsDemotingDisablingAndDeletingThemselvesAtOnceLeaveExactlyOneEnabledAdmin() {
        TestLatch.run(dir, Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000"), latch -> {
            var admins = admins(latch);
            // Each acts on their own account, so no request is refused because its own caller lost the race.
            var answers = Race.run(ADMINS, i -> {
                Admin a = admins.get(i);
                String path = "/api/users/" + a.id();
                switch (i % 3) {
                    case 0: return latch.http().patchJson(path, "{\"role\":\"viewer\"}", "Authorization", Http.bearer(a.token()));
                    case 1: return latch.http().patchJson(path, "{\"enabled\":false}", "Authorization", Http.bearer(a.token()));
                    default: return latch.http().delete(path, "Authorization", Http.bearer(a.token()));
                }
            });

            var kept = new ArrayList<Integer>();
            for (int i = 0; i < ADMINS; i++) {
                var res = answers.get(i);
                if (res.status() == 409) {
                    assertEquals("last_admin", res.json().get("error").asText(), res.toString());
                    kept.add(i);
                } else {
                    assertTrue(res.status() == 200 || res.status() == 204, "admin " + i + ": " + res);
                }
            }
            assertEquals(1, kept.size(), "exactly one change is refused: " + answers);
            assertEquals(1, enabledAdmins());
            Admin survivor = admins.get(kept.get(0));
            var me = latch.http().get("/api/users/" + survivor.id(), "Authorization", Http.bearer(survivor.token()));
            assertEquals(200, me.status(), "the survivor is still signed in: " + me);
            assertEquals("admin", me.json().get("role").asText());
            assertTrue(me.json().get("enabled").asBoolean());
        });
    }

    @Test
    void oneAdminDemotingAllOthersWhileTheyDemoteThemAtOnceStillLeavesOne() {
        TestLatch.run(dir, Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000"), latch -> {
            var admins = admins(latch);
            Admin first = admins.get(0);
            // Half the racers are the first admin demoting another; the other half are the others demoting the first.
            // Whoever is demoted first loses their right to act (403); none of it may leave the instance without an admin.
            var answers = Race.run(2 * (ADMINS - 1), i -> {
                Admin other = admins.get(1 + i / 2);
                return i % 2 == 0
                        ? latch.http().patchJson("/api/users/" + other.id(), "{\"role\":\"editor\"}", "Authorization", Http.bearer(first.token()))
                        : latch.http().patchJson("/api/users/" + first.id(), "{\"enabled\":false}", "Authorization", Http.bearer(other.token()));
            });
            for (var res : answers) {
                assertTrue(res.status() == 200 || res.status() == 401 || res.status() == 403 || res.status() == 409, res.toString());
                if (res.status() == 409) {
                    assertEquals("last_admin", res.json().get("error").asText(), res.toString());
                }
            }
            assertTrue(enabledAdmins() >= 1, "never no admin");
        });
    }
}
