package latch.change;

import latch.support.TestDatabases;
import com.auth0.jwt.JWT;
import latch.Main;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import latch.token.KeyRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two complete instances on one database file, as two processes (or two nodes) would run: every change made
 * through A's API reaches B at B's next read of the change feed, and B then refuses or re-reads. In production the
 * feed is read every second; here the test reads it ({@link #poll}), so "within 2 s" is "at B's next poll". Before
 * that poll B may answer from its caches (stale is allowed), except where a decision reads the database anyway
 * (signing in, refreshing), and those are checked before the poll.
 */
class TwoInstancesTest {
    private static final String ALICE_PASSWORD = "alice's password";
    /** Forward-auth reads the X-Forwarded-* headers only from a trusted proxy: the test client is one. */
    private static final Map<String, String> SETTINGS = Map.of("TRUSTED_PROXIES", "127.0.0.1,::1");

    @TempDir
    Path dir;
    /** Each instance its own clock, as each process reads its own; they agree unless a test moves one. */
    private final TestClock aClock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final TestClock bClock = new TestClock(aClock.instant());
    private TestLatch a;
    private TestLatch b;

    @BeforeEach
    void startTwoInstancesOnOneDatabase() {
        a = TestLatch.start(dir, SETTINGS, aClock);
        b = TestLatch.start(dir, SETTINGS, bClock);
    }

    @AfterEach
    void stopThem() {
        b.close();
        a.close();
    }

    /** What the "change-feed" job does every second in production. */
    private static void poll(TestLatch latch) {
        latch.deps().jobs().runNow("change-feed");
    }

    private static Http.Response me(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", Http.bearer(token));
    }

    /** A Traefik/Caddy style forward-auth request for an app page, with the token as a bearer. */
    private static Http.Response forwardAuth(TestLatch latch, String token) {
        return latch.http().get("/api/authz/forward-auth", "X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "roms.example.com", "X-Forwarded-Uri", "/library", "Authorization", Http.bearer(token));
    }

    private record ClientToken(String id, String secret) {}

    private static ClientToken clientToken(TestLatch latch, String session, String... scopes) {
        var body = "{\"name\":\"backup script\",\"scopes\":[\"" + String.join("\",\"", scopes) + "\"]}";
        var res = latch.http().postJson("/api/client-tokens", body, "Authorization", Http.bearer(session));
        assertEquals(201, res.status(), res.toString());
        return new ClientToken(res.json().get("id").asText(), res.json().get("token").asText());
    }

    private static List<String> scopes(Http.Response me) {
        var scopes = new ArrayList<String>();
        me.json().at("/user/scopes").forEach(s -> scopes.add(s.asText()));
        return scopes;
    }

    private static String kid(String token) {
        return JWT.decode(token).getKeyId();
    }

    private static String sid(String token) {
        return JWT.decode(token).getClaim("sid").asString();
    }

    private long alice(String admin, String role) {
        return a.createUser(admin, "alice", ALICE_PASSWORD, role);
    }

    /** Alice, a viewer created on a, signed in on b with a session and a me.read client token that both work there. */
    private record SignedIn(long id, String session, String apiToken) {}

    private SignedIn viewerSignedInOnB(String admin) {
        long id = alice(admin, "viewer");
        String session = b.token("alice", ALICE_PASSWORD);
        var api = clientToken(b, session, "me.read");
        assertEquals(200, me(b, session).status());
        assertEquals(200, me(b, api.secret()).status());
        return new SignedIn(id, session, api.secret());
    }

    private Http.Response patchUser(String admin, long id, String json) {
        var res = a.http().patchJson("/api/users/" + id, json, "Authorization", Http.bearer(admin));
        assertEquals(200, res.status(), res.toString());
        return res;
    }

    /** What "at its next poll" means in production: each instance reads the feed every second. */
    @Test
    void everyInstanceReadsTheChangeFeedEverySecond() {
        for (TestLatch latch : List.of(a, b)) {
            var job = latch.deps().jobs().status().stream().filter(s -> s.name().equals("change-feed")).findFirst().orElseThrow();
            assertEquals(Duration.ofSeconds(1), job.every());
        }
    }

    @Test
    void aDemotionOnOneInstanceReachesTheOthersMeAndForwardAuthAtItsNextPoll() {
        String admin = a.setupAdmin();
        long alice = alice(admin, "editor");
        String session = b.token("alice", ALICE_PASSWORD);
        var api = clientToken(b, session, "me.read", "roms.write");
        assertEquals("editor", me(b, session).json().at("/user/role").asText());
        assertTrue(scopes(me(b, session)).contains("roms.write"));
        assertEquals(List.of("me.read", "roms.write"), scopes(me(b, api.secret())));
        assertTrue(forwardAuth(b, session).header("Remote-Scopes").orElseThrow().contains("roms.write"));

        patchUser(admin, alice, "{\"role\":\"viewer\"}");
        assertEquals("viewer", me(a, session).json().at("/user/role").asText(), "the instance that made the change knows at once");

        poll(b);
        var mine = me(b, session);
        assertEquals("viewer", mine.json().at("/user/role").asText());
        assertFalse(scopes(mine).contains("roms.write"), mine.toString());
        assertEquals(List.of("me.read"), scopes(me(b, api.secret())), "a client token narrows to what its owner holds now");
        var headers = forwardAuth(b, session);
        assertEquals(200, headers.status(), headers.toString());
        assertEquals("viewer", headers.header("Remote-Groups").orElseThrow());
        assertFalse(headers.header("Remote-Scopes").orElseThrow().contains("roms.write"));
    }

    @Test
    void aProfileChangeOnOneInstanceReachesTheOthersMeAndRemoteHeadersAtItsNextPoll() {
        String admin = a.setupAdmin();
        long alice = alice(admin, "viewer");
        String session = b.token("alice", ALICE_PASSWORD);
        var before = forwardAuth(b, session);
        assertEquals(200, before.status(), before.toString());
        assertEquals("alice", before.header("Remote-Name").orElseThrow(), "no display name yet: the username");
        assertEquals("", before.header("Remote-Email").orElseThrow());
        assertTrue(me(b, session).json().at("/user/display_name").isNull());

        var own = a.http().patchJson("/api/auth/me", "{\"display_name\":\"Alice Liddell\",\"email\":\"alice@example.com\"}",
                "Authorization", Http.bearer(session));
        assertEquals(200, own.status(), own.toString());

        poll(b);
        var changed = me(b, session).json().at("/user");
        assertEquals("Alice Liddell", changed.get("display_name").asText());
        assertEquals("alice@example.com", changed.get("email").asText());
        var headers = forwardAuth(b, session);
        assertEquals("alice", headers.header("Remote-User").orElseThrow());
        assertEquals("Alice Liddell", headers.header("Remote-Name").orElseThrow());
        assertEquals("alice@example.com", headers.header("Remote-Email").orElseThrow());

        patchUser(admin, alice, "{\"display_name\":\"Alice Pleasance Liddell\",\"email\":\"alice@wonderland.example\"}");
        poll(b);
        assertEquals("Alice Pleasance Liddell", me(b, session).json().at("/user/display_name").asText());
        headers = forwardAuth(b, session);
        assertEquals("Alice Pleasance Liddell", headers.header("Remote-Name").orElseThrow());
        assertEquals("alice@wonderland.example", headers.header("Remote-Email").orElseThrow());
    }

    @Test
    void aUserDisabledOnOneInstanceIsRefusedByTheOtherAtItsNextPoll() {
        String admin = a.setupAdmin();
        var alice = viewerSignedInOnB(admin);

        patchUser(admin, alice.id(), "{\"enabled\":false}");
        // What reads the database refuses at once, on either instance.
        assertEquals(401, b.login("alice", ALICE_PASSWORD).status(), "signing in reads the account");
        assertEquals(401, b.http().post("/api/auth/refresh", "Authorization", Http.bearer(alice.session())).status(),
                "a refresh re-reads the account");

        poll(b);
        assertEquals(401, me(b, alice.session()).status(), "the session token");
        assertEquals(401, me(b, alice.apiToken()).status(), "the client token");
        assertEquals(401, forwardAuth(b, alice.session()).status());
        assertEquals(401, forwardAuth(b, alice.apiToken()).status());
    }

    @Test
    void aUserDeletedOnOneInstanceIsRefusedByTheOtherAtItsNextPoll() {
        String admin = a.setupAdmin();
        var alice = viewerSignedInOnB(admin);

        assertEquals(204, a.http().delete("/api/users/" + alice.id(), "Authorization", Http.bearer(admin)).status());
        assertEquals(401, b.login("alice", ALICE_PASSWORD).status(), "signing in reads the account");

        poll(b);
        assertEquals(401, me(b, alice.session()).status(), "the session token");
        assertEquals(401, me(b, alice.apiToken()).status(), "the client token");
        assertEquals(401, forwardAuth(b, alice.session()).status());
    }

    @Test
    void anAdminsPasswordResetOnOneInstanceEndsTheOldSessionAndClientTokenOnTheOther() {
        String admin = a.setupAdmin();
        var alice = viewerSignedInOnB(admin);

        patchUser(admin, alice.id(), "{\"password\":\"alice's new password\"}");
        assertEquals(401, b.login("alice", ALICE_PASSWORD).status(), "the old password, at once");
        String fresh = b.token("alice", "alice's new password");

        poll(b);
        assertEquals(401, me(b, alice.session()).status(), "the session from before the reset");
        assertEquals(401, me(b, alice.apiToken()).status(), "the client token the old password minted");
        assertEquals(200, me(b, fresh).status(), "a session from after the reset");
    }

    @Test
    void aResetThatKeepsClientTokensKeepsThemOnTheOtherInstanceToo() {
        String admin = a.setupAdmin();
        var alice = viewerSignedInOnB(admin);

        patchUser(admin, alice.id(), "{\"password\":\"alice's new password\",\"keep_tokens\":true}");
        poll(b);
        assertEquals(401, me(b, alice.session()).status());
        assertEquals(200, me(b, alice.apiToken()).status());
    }

    @Test
    void aPasswordChangedByItsOwnerOnOneInstanceEndsTheirOtherSessionsOnTheOther() {
        String admin = a.setupAdmin();
        alice(admin, "viewer");
        String laptop = a.token("alice", ALICE_PASSWORD);
        String phone = b.token("alice", ALICE_PASSWORD);
        var api = clientToken(b, phone, "me.read");
        assertEquals(200, me(b, laptop).status());
        assertEquals(200, me(b, phone).status());
        assertEquals(200, me(b, api.secret()).status());

        var changed = a.http().putJson("/api/auth/me/password",
                "{\"current_password\":\"" + ALICE_PASSWORD + "\",\"new_password\":\"alice's new password\"}",
                "Authorization", Http.bearer(laptop));
        assertEquals(200, changed.status(), changed.toString());
        String renewed = changed.json().get("token").asText();

        poll(b);
        assertEquals(401, me(b, phone).status(), "the other session ended");
        assertEquals(401, me(b, api.secret()).status(), "the client token is revoked");
        assertEquals(401, me(b, laptop).status(), "the laptop's token was replaced");
        assertEquals(200, me(b, renewed).status(), "the laptop goes on with its new token");
    }

    @Test
    void aLogoutOnOneInstanceIsHonouredByTheOtherAtItsNextPoll() {
        String admin = a.setupAdmin();
        alice(admin, "viewer");
        String laptop = b.token("alice", ALICE_PASSWORD);
        String phone = b.token("alice", ALICE_PASSWORD);
        String tablet = b.token("alice", ALICE_PASSWORD);
        for (String token : List.of(laptop, phone, tablet)) {
            assertEquals(200, me(b, token).status());
        }

        assertEquals(204, a.http().post("/api/auth/logout", "Authorization", Http.bearer(laptop)).status());
        assertEquals(401, b.http().post("/api/auth/refresh", "Authorization", Http.bearer(laptop)).status(),
                "a signed-out token cannot be refreshed into a new one on the other instance, even before its poll");
        // Ending one session from the session list revokes no token: the session itself is what ends.
        assertEquals(204, a.http().delete("/api/auth/sessions/" + sid(tablet), "Authorization", Http.bearer(phone)).status());

        poll(b);
        assertEquals(401, me(b, laptop).status(), "the signed-out token");
        assertEquals(401, me(b, tablet).status(), "the token of the ended session");
        assertEquals(200, me(b, phone).status(), "the session nobody ended");
    }

    @Test
    void signingOutEverywhereOnOneInstanceEndsTheOtherSessionsOnTheOther() {
        String admin = a.setupAdmin();
        long alice = alice(admin, "viewer");
        String laptop = a.token("alice", ALICE_PASSWORD);
        String phone = b.token("alice", ALICE_PASSWORD);
        String tablet = b.token("alice", ALICE_PASSWORD);
        for (String token : List.of(laptop, phone, tablet)) {
            assertEquals(200, me(b, token).status());
        }

        var res = a.http().post("/api/auth/logout-all", "Authorization", Http.bearer(laptop));
        assertEquals(200, res.status(), res.toString());
        assertEquals(2, res.json().get("ended").asInt());

        poll(b);
        assertEquals(401, me(b, phone).status());
        assertEquals(401, me(b, tablet).status());
        assertEquals(200, me(b, laptop).status(), "the session that signed out the others goes on");

        var forced = a.http().post("/api/users/" + alice + "/logout-all", "Authorization", Http.bearer(admin));
        assertEquals(200, forced.status(), forced.toString());
        poll(b);
        assertEquals(401, me(b, laptop).status(), "an admin's forced sign-out ends that one too");
    }

    /** The defect this test was written for: B never learned that A had revoked the refreshed token. */
    @Test
    void aRefreshOnOneInstanceRevokesTheOldTokenOnTheOtherAtItsNextPoll() {
        String admin = a.setupAdmin();
        alice(admin, "viewer");
        String old = b.token("alice", ALICE_PASSWORD);
        assertEquals(200, me(b, old).status());

        var refreshed = a.http().post("/api/auth/refresh", "Authorization", Http.bearer(old));
        assertEquals(200, refreshed.status(), refreshed.toString());
        String successor = refreshed.json().get("token").asText();
        assertEquals(401, a.http().post("/api/auth/refresh", "Authorization", Http.bearer(old)).status());
        var replay = b.http().post("/api/auth/refresh", "Authorization", Http.bearer(old));
        assertEquals(401, replay.status(), "the same token refreshed again on the other instance gets no second successor");

        poll(b);
        assertEquals(401, me(b, old).status(), "the refreshed token is revoked until it expires");
        assertEquals(401, forwardAuth(b, old).status());
        assertEquals(200, me(b, successor).status());
        assertEquals(sid(old), sid(successor), "the same session goes on");
    }

    @Test
    void aClientTokenRevokedOrRegeneratedOnOneInstanceIsRefusedByTheOtherAtItsNextPoll() {
        String admin = a.setupAdmin();
        alice(admin, "viewer");
        String session = a.token("alice", ALICE_PASSWORD);
        var revoked = clientToken(a, session, "me.read");
        var regenerated = clientToken(a, session, "me.read");
        assertEquals(200, me(b, revoked.secret()).status());
        assertEquals(200, me(b, regenerated.secret()).status());

        assertEquals(204, a.http().delete("/api/client-tokens/" + revoked.id(), "Authorization", Http.bearer(session)).status());
        var res = a.http().post("/api/client-tokens/" + regenerated.id() + "/regenerate", "Authorization", Http.bearer(session));
        assertEquals(200, res.status(), res.toString());
        String newSecret = res.json().get("token").asText();

        poll(b);
        assertEquals(401, me(b, revoked.secret()).status(), "the revoked token");
        assertEquals(401, me(b, regenerated.secret()).status(), "the old secret of the regenerated token");
        assertEquals(200, me(b, newSecret).status(), "its new secret");
    }

    @Test
    void keysRotatedByTheCommandLineAreUsedByBothInstancesWhileTokensSignedBeforeStillPass() {
        String admin = a.setupAdmin();
        alice(admin, "viewer");
        String before = a.token("alice", ALICE_PASSWORD);
        String accessBefore = a.passwordGrant("alice", ALICE_PASSWORD).json().get("access_token").asText();
        assertEquals(200, me(b, before).status());
        assertEquals(200, me(b, accessBefore).status());

        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var env = new java.util.HashMap<>(Map.of("LATCH_DATA_DIR", dir.toString(), "LATCH_ARGON2_MEMORY_KIB", "256", "LATCH_ARGON2_ITERATIONS", "1"));
        env.putAll(TestDatabases.settingsFor(dir));
        int code = Main.adminCli(env, aClock).run(new String[] {"rotate-keys"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertEquals(200, me(b, before).status(), "a rotation never cuts off a token signed before it");

        poll(a);
        poll(b);
        String fromA = a.token("alice", ALICE_PASSWORD);
        String fromB = b.token("alice", ALICE_PASSWORD);
        assertNotEquals(kid(before), kid(fromB), "B signs with the new key");
        assertEquals(kid(fromA), kid(fromB), "both instances sign with the same new key");
        String accessFromB = b.passwordGrant("alice", ALICE_PASSWORD).json().get("access_token").asText();
        assertNotEquals(kid(accessBefore), kid(accessFromB), "access tokens have their own key, rotated too");
        for (TestLatch latch : List.of(a, b)) {
            for (String token : List.of(before, accessBefore, fromA, fromB, accessFromB)) {
                assertEquals(200, me(latch, token).status(), "every token, old key or new, on either instance");
            }
        }

        // A rotation inside one instance reaches the other the same way.
        a.deps().keyRings().forEach(KeyRing::rotate);
        String afterSecond = a.token("alice", ALICE_PASSWORD);
        assertNotEquals(kid(fromA), kid(afterSecond), "the rotating instance signs with its new key at once");
        poll(b);
        assertEquals(kid(afterSecond), kid(b.token("alice", ALICE_PASSWORD)));
        for (String token : List.of(before, fromB, afterSecond)) {
            assertEquals(200, me(b, token).status());
        }
    }

    /** Decisions kept in the database hold across instances at once: setup is claimed once, a ban counts every try. */
    @Test
    void setupDoneOnOneInstanceCannotBeRepeatedOnTheOther() {
        assertTrue(b.http().get("/api/setup/status").json().get("setup_required").asBoolean());
        a.setupAdmin();
        var again = b.http().postJson("/api/setup/admin", "{\"username\":\"intruder\",\"password\":\"intruder password\","
                + "\"setup_code\":\"" + TestLatch.SETUP_CODE + "\"}");
        assertEquals(409, again.status(), again.toString());
        assertFalse(b.http().get("/api/setup/status").json().get("setup_required").asBoolean());
    }

    @Test
    void wrongPasswordsOnBothInstancesAddUpToOneBanAndAnUnbanOnEitherLiftsIt() {
        String admin = a.setupAdmin();
        long alice = alice(admin, "viewer");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, (i % 2 == 0 ? a : b).login("alice", "wrong password " + i).status());
        }
        assertEquals(401, a.login("alice", ALICE_PASSWORD).status(), "banned on A");
        assertEquals(401, b.login("alice", ALICE_PASSWORD).status(), "and on B");

        assertEquals(204, a.http().post("/api/users/" + alice + "/unban", "Authorization", Http.bearer(admin)).status());
        assertEquals(200, b.login("alice", ALICE_PASSWORD).status(), "lifted on A, lifted on B");
    }

    /**
     * The feed keeps an hour of changes. An instance that fell further behind cannot know what it missed, so every
     * cache starts afresh: each kind of change it never read is honoured all the same. Only A's clock moves, so
     * nothing B caches expires on its own and each refusal below is the resync's doing.
     */
    @Test
    void anInstanceThatFellBehindThePrunedFeedStartsAfreshAndMissesNothing() {
        var resyncs = new AtomicInteger();
        b.deps().changes().onCommitted(Change.Resync.class, c -> resyncs.incrementAndGet());
        String admin = a.setupAdmin();
        long alice = alice(admin, "editor");
        String laptop = b.token("alice", ALICE_PASSWORD);
        String phone = b.token("alice", ALICE_PASSWORD);
        var api = clientToken(b, laptop, "me.read");
        assertEquals("editor", me(b, laptop).json().at("/user/role").asText());
        assertEquals(200, me(b, phone).status());
        assertEquals(200, me(b, api.secret()).status());

        String successor = a.http().post("/api/auth/refresh", "Authorization", Http.bearer(laptop)).json().get("token").asText();
        assertEquals(1, a.http().post("/api/auth/logout-all", "Authorization", Http.bearer(successor)).json().get("ended").asInt());
        assertEquals(204, a.http().delete("/api/client-tokens/" + api.id(), "Authorization", Http.bearer(successor)).status());
        patchUser(admin, alice, "{\"role\":\"viewer\"}");
        a.deps().keyRings().forEach(KeyRing::rotate);
        String newKey = a.token("alice", ALICE_PASSWORD);
        assertNotEquals(kid(laptop), kid(newKey));

        // B sleeps through more than the feed keeps; A's purge prunes what B never read.
        aClock.advance(Duration.ofHours(1).plusMinutes(5));
        a.deps().jobs().runNow("purge");
        assertEquals(0, resyncs.get());

        poll(b);
        assertEquals(1, resyncs.get(), "B knows it missed changes");
        assertEquals(401, me(b, laptop).status(), "the refreshed token: a revocation B never read");
        assertEquals(401, me(b, phone).status(), "a session that ended while B was behind");
        assertEquals(401, me(b, api.secret()).status(), "a client token revoked while B was behind");
        assertEquals("viewer", me(b, successor).json().at("/user/role").asText(), "a role changed while B was behind");
        assertEquals(200, me(b, newKey).status(), "a token signed with a key B never heard of");
        assertEquals(kid(newKey), kid(b.token("alice", ALICE_PASSWORD)), "B signs with the new key");

        poll(b);
        assertEquals(1, resyncs.get(), "once caught up, B reads the feed as before");
        assertEquals(204, a.http().post("/api/auth/logout", "Authorization", Http.bearer(successor)).status());
        poll(b);
        assertEquals(401, me(b, successor).status());
    }
}
