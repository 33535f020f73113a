package latch.db;

import latch.Settings;
import latch.config.InvalidSetting;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseUrlTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @Test
    void theUrlIsReadAsPostgresOwnToolsWriteIt() {
        var url = DatabaseUrl.parse("postgresql://latch:p%40ss%3Aword@db.home.arpa/latch?sslmode=verify-full").orElseThrow();
        assertEquals("db.home.arpa", url.host());
        assertEquals(5432, url.port());
        assertEquals("latch", url.database());
        assertEquals("latch", url.user());
        assertEquals("p@ss:word", url.password());
        assertEquals(Map.of("sslmode", "verify-full"), url.parameters());
        assertEquals("jdbc:postgresql://db.home.arpa:5432/latch", url.jdbcUrl());
        assertEquals(6543, DatabaseUrl.parse("postgres://u:p@[::1]:6543/x").orElseThrow().port());
        assertEquals("jdbc:postgresql://[::1]:6543/x", DatabaseUrl.parse("postgres://u:p@[::1]:6543/x").orElseThrow().jdbcUrl());
        assertTrue(DatabaseUrl.parse("").isEmpty() && DatabaseUrl.parse(null).isEmpty(), "unset means SQLite");
    }

    @Test
    void thePasswordIsNeverPrintedNorEchoedInAnError() {
        var url = DatabaseUrl.parse("postgres://latch:hunter2-secret@db:5432/latch").orElseThrow();
        assertFalse(url.toString().contains("hunter2"), url.toString());
        assertFalse(url.describe().contains("hunter2"));
        for (String bad : new String[] {"mysql://latch:hunter2-secret@db/latch", "postgres://latch:hunter2-secret@/latch",
                "postgres://latch:hunter2-secret@db/", "postgres://:hunter2-secret@db/latch",
                "postgres://latch:hunter2-secret@db/latch?sslmode=require&password=hunter2-secret", "postgres://latch:hunter2-secret@db/latch x",
                "postgres://latch:hunter2-secret@db:99999/latch"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(bad), bad);
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void aSharedDatabaseNeedsAnEncryptionKeyEveryNodeShares() {
        var e = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("LATCH_DATABASE_URL", "postgres://latch:pw@db/latch")));
        assertTrue(e.getMessage().contains("LATCH_ENCRYPTION_KEY"), e.getMessage());
        var settings = Settings.of(Map.of("LATCH_DATABASE_URL", "postgres://latch:pw@db/latch", "LATCH_ENCRYPTION_KEY", KEY));
        assertTrue(settings.database().shared());
        assertEquals(10, settings.database().poolSize());
        assertFalse(Settings.of(Map.of()).database().shared(), "SQLite by default");
        assertEquals(4, Settings.of(Map.of()).database().poolSize());
        var typo = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("LATCH_DATABASE_URL", "postgres://latch:pw@db/latch?sslmod=require",
                "LATCH_ENCRYPTION_KEY", KEY)));
        assertTrue(typo.getMessage().contains("sslmod"), typo.getMessage());
    }
}
