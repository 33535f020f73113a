import java.nio.file.Path;
import java.sql.DriverManager;

/**
 * Adds {@code n} audit events older than the default retention (90 days) to a Latch data directory's database,
 * as a busy household's sign-ins and refreshes leave them: spread over the 100th to 465th day back, with an
 * address, a user agent and a detail each, so a purge deletes rows of a realistic size.
 *
 * Run: java -cp target/latch.jar bench/purge/SeedAudit.java DATA_DIR N
 */
public final class SeedAudit {
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]).resolve("latch.db");
        int n = Integer.parseInt(args[1]);
        long now = System.currentTimeMillis() / 1000;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < ?)"
                    + " INSERT INTO audit_events(at, type, outcome, actor_id, actor_name, subject_id, subject_name, ip, user_agent, detail)"
                    + " SELECT ? - 100 * 86400 - (k * 31) % (365 * 86400), CASE k % 3 WHEN 0 THEN 'sign_in' WHEN 1 THEN 'refresh'"
                    + " ELSE 'token_refreshed' END, 'success', 1, 'admin', 1, 'admin', '192.0.2.' || (k % 250),"
                    + " 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',"
                    + " 'refresh grant: me.read users.read' FROM i")) {
                ps.setInt(1, n);
                ps.setLong(2, now);
                ps.executeUpdate();
            }
            c.commit();
            try (var st = c.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
        System.out.println("seeded " + n + " expired audit events into " + db);
    }
}
