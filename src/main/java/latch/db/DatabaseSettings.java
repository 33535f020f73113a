package latch.db;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Which database Latch keeps its data in: {@code url} empty means the SQLite file {@code latch.db} in
 * {@code dataDir} (the one-box default); a PostgreSQL server otherwise (LATCH_DATABASE_URL), shared by every node.
 * {@code poolSize}: connections held open (LATCH_DATABASE_POOL_SIZE); {@code startWait}: how long a start waits for
 * the server to answer (LATCH_DATABASE_WAIT_SECONDS), as a compose file may start Latch before its database.
 */
public record DatabaseSettings(Path dataDir, Optional<DatabaseUrl> url, int poolSize, Duration startWait) {
    public boolean shared() {
        return url.isPresent();
    }
}
