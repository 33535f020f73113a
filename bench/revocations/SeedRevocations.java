import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.util.Base64;

/**
 * Adds {@code n} unexpired revocations to a Latch data directory's database, as a household's month of refreshes
 * and sign-outs leaves them: random 128-bit jti, each expiring within the next day.
 *
 * Run: java -cp target/latch.jar bench/revocations/SeedRevocations.java DATA_DIR N
 */
public final class SeedRevocations {
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]).resolve("latch.db");
        int n = Integer.parseInt(args[1]);
        var random = new SecureRandom();
        var b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("INSERT INTO revoked_tokens(jti, expires_at) VALUES (?, ?)")) {
                byte[] jti = new byte[16];
                for (int i = 0; i < n; i++) {
                    random.nextBytes(jti);
                    ps.setString(1, b64.encodeToString(jti));
                    ps.setLong(2, now + 3600 + random.nextInt(86_400 - 3600));
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            try (var st = c.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
        System.out.println("seeded " + n + " revocations into " + db);
    }
}
