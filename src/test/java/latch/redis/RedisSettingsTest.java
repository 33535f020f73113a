package latch.redis;

import latch.Settings;
import latch.config.InvalidSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LATCH_REDIS_URL and its companions as an operator writes them, and the ways a wrong one is refused at start. */
class RedisSettingsTest {
    private static final String PASSWORD = "hunter2-redis-secret";
    private static final Map<String, String> SHARED_DATABASE = Map.of("LATCH_DATABASE_URL", "postgres://latch:pw@db/latch",
            "LATCH_ENCRYPTION_KEY", "0123456789abcdef0123456789abcdef");

    @TempDir
    Path dir;

    @Test
    void theUrlIsReadAsRedisCliReadsIt() {
        var url = RedisUrl.parse("redis://latch:p%40ss%3Aword@cache.home.arpa:6380/3").orElseThrow();
        assertEquals("cache.home.arpa", url.host());
        assertEquals(6380, url.port());
        assertEquals(3, url.database());
        assertEquals("latch", url.user());
        assertEquals("p@ss:word", url.password());
        assertFalse(url.tls());

        var lone = RedisUrl.parse("redis://" + PASSWORD + "@cache").orElseThrow();
        assertEquals(PASSWORD, lone.password(), "a lone user part is the password, as redis-cli reads it");
        assertEquals("", lone.user());
        assertEquals(RedisUrl.DEFAULT_PORT, lone.port());
        assertEquals(0, lone.database());

        var tls = RedisUrl.parse("rediss://:" + PASSWORD + "@[::1]:7000").orElseThrow();
        assertTrue(tls.tls());
        assertEquals("::1", tls.host());
        assertEquals("", tls.user());
        assertEquals(PASSWORD, tls.password());
        assertTrue(RedisUrl.parse("").isEmpty() && RedisUrl.parse(null).isEmpty(), "unset: PostgreSQL carries the shared state");
    }

    @Test
    void thePasswordIsNeverPrinted() {
        for (String value : new String[] {"redis://latch:" + PASSWORD + "@cache:6379/2", "redis://" + PASSWORD + "@cache",
                "rediss://:" + PASSWORD + "@cache"}) {
            var url = RedisUrl.parse(value).orElseThrow();
            assertFalse(url.toString().contains(PASSWORD), url.toString());
            assertFalse(url.describe().contains(PASSWORD), url.describe());
            var settings = Settings.of(with("LATCH_REDIS_URL", value));
            assertFalse(settings.redis().toString().contains(PASSWORD), settings.redis().toString());
        }
        assertEquals("Redis at [::1]:7000 over TLS", RedisUrl.parse("rediss://:" + PASSWORD + "@[::1]:7000").orElseThrow().describe());
        assertTrue(assertThrows(InvalidSetting.class, () -> Settings.of(with("LATCH_REDIS_URL", "redis://:" + PASSWORD + "@cache:port")))
                .getMessage().contains("port that is not a number"));
        assertEquals("Redis at cache:6379/2 as latch", RedisUrl.parse("redis://latch:" + PASSWORD + "@cache:6379/2").orElseThrow().describe());
    }

    @Test
    void aWrongUrlIsRefusedAtStartNamingTheVariableNeverTheValue() {
        for (String bad : new String[] {
                "http://:" + PASSWORD + "@cache", "valkey://:" + PASSWORD + "@cache", "redis:" + PASSWORD,
                "redis://:" + PASSWORD + "@/0", "redis://:" + PASSWORD + "@cache/zero", "redis://:" + PASSWORD + "@cache/-1",
                "redis://:" + PASSWORD + "@cache/1/2", "redis://:" + PASSWORD + "@cache/99999999999",
                "redis://:" + PASSWORD + "@cache:99999", "redis://:" + PASSWORD + "@cache:0", "redis://:" + PASSWORD + "@cache:port",
                "redis://:" + PASSWORD + "@cache?db=1", "redis://:" + PASSWORD + "@cache#1", "redis://:" + PASSWORD + " @cache",
                "redis://:" + PASSWORD + "%zz@cache", "redis://:" + PASSWORD + "@cache/+1", "redis://:" + PASSWORD + "@cache/ 1"}) {
            var e = assertThrows(InvalidSetting.class, () -> Settings.of(with("LATCH_REDIS_URL", bad)), bad);
            assertTrue(e.getMessage().startsWith("LATCH_REDIS_URL: "), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD) || e.getMessage().contains("hunter2"), e.getMessage());
        }
        for (String timeout : new String[] {"soon", "10", "600000", "-1"}) {
            var e = assertThrows(InvalidSetting.class, () -> Settings.of(with("LATCH_REDIS_URL", "redis://cache",
                    "LATCH_REDIS_TIMEOUT_MS", timeout)), timeout);
            assertTrue(e.getMessage().startsWith("LATCH_REDIS_TIMEOUT_MS: "), e.getMessage());
        }
    }

    @Test
    void redisNeedsTheDatabaseTheNodesShare() {
        var e = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("LATCH_REDIS_URL", "redis://:" + PASSWORD + "@cache")));
        assertTrue(e.getMessage().startsWith("LATCH_REDIS_URL: ") && e.getMessage().contains("LATCH_DATABASE_URL"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        assertFalse(Settings.of(SHARED_DATABASE).redis().enabled(), "PostgreSQL alone is a complete install");
    }

    @Test
    void theCaFileIsForTlsOnly() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not read at start");
        var plain = assertThrows(InvalidSetting.class, () -> Settings.of(with("LATCH_REDIS_URL", "redis://cache",
                "LATCH_REDIS_CA_FILE", ca.toString())));
        assertTrue(plain.getMessage().startsWith("LATCH_REDIS_CA_FILE: ") && plain.getMessage().contains("rediss://"), plain.getMessage());
        var alone = assertThrows(InvalidSetting.class, () -> Settings.of(with("LATCH_REDIS_CA_FILE", ca.toString())));
        assertTrue(alone.getMessage().startsWith("LATCH_REDIS_CA_FILE: "), alone.getMessage());

        var tls = Settings.of(with("LATCH_REDIS_URL", "rediss://:" + PASSWORD + "@cache", "LATCH_REDIS_CA_FILE", ca.toString(),
                "LATCH_REDIS_TIMEOUT_MS", "750")).redis();
        assertEquals(ca, tls.caFile().orElseThrow());
        assertEquals(Duration.ofMillis(750), tls.timeout());
        assertEquals(Duration.ofSeconds(2), Settings.of(with("LATCH_REDIS_URL", "redis://cache")).redis().timeout(), "the default");
    }

    @Test
    void theUrlCanComeFromAFileAsADockerSecret() throws Exception {
        Path file = Files.writeString(dir.resolve("redis-url"), "redis://:" + PASSWORD + "@cache:6379/1\n");
        var url = Settings.of(with("LATCH_REDIS_URL_FILE", file.toString())).redis().url().orElseThrow();
        assertEquals(PASSWORD, url.password());
        assertEquals(1, url.database());
    }

    /** Settings of nodes that share a database, plus {@code more} as name, value pairs. */
    private static Map<String, String> with(String... more) {
        var values = new HashMap<>(SHARED_DATABASE);
        for (int i = 0; i + 1 < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return values;
    }
}
