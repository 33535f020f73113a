package latch.support;

import latch.db.Database;
import latch.db.DatabaseUrl;
import latch.db.Migrations;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * The database a test's data directory stands for: its SQLite file, or, when the run plays the suite against
 * PostgreSQL ({@link PostgresServer#selected()}), a PostgreSQL database of its own on the test server, and with
 * {@link RedisServer#selected()} a Redis database of its own too.
 */
public final class TestDatabases {
    private TestDatabases() {}

    /** The settings that point Latch at the data directory's database (none for SQLite: it is the default). */
    public static Map<String, String> settingsFor(Path dataDir) {
        if (!PostgresServer.selected()) {
            return Map.of();
        }
        // Shared by every instance on this data directory, as nodes of one install share theirs.
        String key = PostgresServer.digest("latch-test-encryption-key " + dataDir.toAbsolutePath().normalize());
        if (RedisServer.selected()) {
            return Map.of("LATCH_DATABASE_URL", PostgresServer.get().urlFor(dataDir), "LATCH_ENCRYPTION_KEY", key,
                    "LATCH_REDIS_URL", RedisServer.get().urlFor(dataDir));
        }
        return Map.of("LATCH_DATABASE_URL", PostgresServer.get().urlFor(dataDir), "LATCH_ENCRYPTION_KEY", key);
    }

    /** Opens the data directory's database directly, as Latch would (not migrated). */
    public static Database open(Path dataDir, int poolSize) {
        if (!PostgresServer.selected()) {
            return Database.sqlite(dataDir, poolSize);
        }
        return Database.postgres(DatabaseUrl.parse(PostgresServer.get().urlFor(dataDir)).orElseThrow(), poolSize, Duration.ofSeconds(5));
    }

    /** Opens the data directory's database, migrated to this Latch's schema, for a test of one store beside it. */
    public static Database migrated(Path dataDir, int poolSize) {
        Database db = open(dataDir, poolSize);
        try {
            Migrations.apply(db);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The column that orders sessions, client tokens and invites as inserted ({@link latch.db.Dialect#insertionOrder}). */
    public static String insertionOrder() {
        return (PostgresServer.selected() ? latch.db.Dialect.POSTGRES : latch.db.Dialect.SQLITE).insertionOrder();
    }

    /** A plain JDBC connection of the test's own to the data directory's database, beside the server's. */
    public static Connection connect(Path dataDir) throws SQLException {
        if (!PostgresServer.selected()) {
            return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME));
        }
        var url = DatabaseUrl.parse(PostgresServer.get().urlFor(dataDir)).orElseThrow();
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }
}
