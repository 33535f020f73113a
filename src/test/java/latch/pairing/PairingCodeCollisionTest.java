package latch.pairing;

import latch.support.TestDatabases;
import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.audit.AuditService;
import latch.audit.SqlAuditStore;
import latch.change.SqlChangeFeed;
import latch.clienttoken.ClientTokenService;
import latch.clienttoken.ClientTokenSettings;
import latch.clienttoken.SqlClientTokenStore;
import latch.db.Database;
import latch.db.Migrations;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.LimitSettings;
import latch.limit.LocalRateLimiter;
import latch.support.TestClock;
import latch.user.Role;
import latch.user.SqlUserStore;
import latch.user.NewUser;
import latch.user.UserDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short codes are unique in the database; a drawn code that is taken must mean another draw, not a 500. */
class PairingCodeCollisionTest {
    private static final ClientInfo CLIENT = new ClientInfo("192.0.2.1", "test", false);
    private static final LimitPolicy GENEROUS = new LimitPolicy("test", 1000, Duration.ofMinutes(1));
    private static final LimitSettings LIMITS = new LimitSettings(GENEROUS, GENEROUS, GENEROUS, GENEROUS, GENEROUS, GENEROUS,
            GENEROUS, GENEROUS, GENEROUS, GENEROUS, GENEROUS, GENEROUS);

    @TempDir
    Path dir;

    /** Codes in the order given, then the last one for ever. */
    private static Supplier<String> scripted(String... codes) {
        var queue = new ArrayDeque<>(List.of(codes));
        return () -> queue.size() > 1 ? queue.poll() : queue.peek();
    }

    private interface Body {
        void run(PairingService pairing, ClientTokenService tokens, Principal admin);
    }

    private void withPairing(Supplier<String> codes, Body body) {
        var clock = new TestClock();
        try (var db = TestDatabases.open(dir, 2)) {
            Migrations.apply(db);
            var scopes = ScopeCatalog.defaults();
            var audit = new AuditService(new SqlAuditStore(db), clock);
            var feed = new SqlChangeFeed(db, clock);
            var userStore = new SqlUserStore(db, clock);
            var users = new UserDirectory(userStore, db, feed, clock);
            var tokens = new ClientTokenService(new SqlClientTokenStore(db), db, feed, users, scopes, audit,
                    (kind, userId, source, detail) -> { }, new LocalRateLimiter(clock, 1000), LIMITS,
                    new ClientTokenSettings(25), Runnable::run, latch.metrics.Metrics.NONE, clock);
            var pairing = new PairingService(new SqlPairingStore(db), db, tokens, users, scopes, audit,
                    new LocalRateLimiter(clock, 1000), LIMITS, codes, clock);
            var admin = db.inTransaction(tx -> userStore.create(tx, new NewUser("admin", null, Role.ADMIN, null, null))).orElseThrow();
            body.run(pairing, tokens, new Principal(admin, scopes.of(Role.ADMIN), Principal.Credential.SESSION, "session", null, null));
        }
    }

    private static PairingService.DeviceStart start(PairingService pairing) {
        return pairing.startDevice("handheld", List.of("me.read"), "http://latch.test", CLIENT);
    }

    @Test
    void aTakenUserCodeIsRedrawn() {
        withPairing(scripted("BCDF-GHJK", "BCDF-GHJK", "BCDF-GHJK", "LMNP-QRST"), (pairing, tokens, admin) -> {
            assertEquals("BCDF-GHJK", start(pairing).userCode());
            assertEquals("LMNP-QRST", start(pairing).userCode(), "two clashes, then a free code");
        });
    }

    @Test
    void aUserCodeThatKeepsClashingIsA503NotA500() {
        withPairing(scripted("BCDF-GHJK"), (pairing, tokens, admin) -> {
            start(pairing);
            var e = assertThrows(ApiError.class, () -> start(pairing));
            assertEquals(503, e.status());
            assertEquals("temporarily_unavailable", e.code());
        });
    }

    @Test
    void aTakenPairingCodeIsRedrawnAndOneThatKeepsClashingIsA503() {
        withPairing(scripted("BCDF-GHJK", "BCDF-GHJK", "LMNP-QRST"), (pairing, tokens, admin) -> {
            String tokenId = tokens.create(admin, "handheld", List.of("me.read"), null, null, CLIENT).token().id();
            assertEquals("BCDF-GHJK", pairing.pairCode(admin, tokenId).code());
            assertEquals("LMNP-QRST", pairing.pairCode(admin, tokenId).code());
            var e = assertThrows(ApiError.class, () -> pairing.pairCode(admin, tokenId), "only LMNP-QRST is left to draw");
            assertEquals(503, e.status());
        });
    }
}
