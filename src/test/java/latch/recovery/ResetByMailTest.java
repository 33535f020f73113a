package latch.recovery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import latch.support.Http;
import latch.support.Mailbox;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Self-service reset by mail against a real SMTP server: the same answer whether or not the account exists, a mail
 * whose link works, limits per client and per account, and never a link in the log.
 */
class ResetByMailTest {
    private static final String PASSWORD = "alice's long password";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;

    // The server logs to standard error (slf4j-simple); the test reads what it wrote.
    @BeforeEach
    void captureTheLog() {
        originalErr = System.err;
        originalOut = System.out;
        var both = new PrintStream(log, true, StandardCharsets.UTF_8);
        System.setErr(both);
        System.setOut(both);
    }

    @AfterEach
    void restoreTheLog() {
        System.setErr(originalErr);
        System.setOut(originalOut);
        originalErr.print(log.toString(StandardCharsets.UTF_8));
    }

    private TestLatch start(Mailbox mailbox, Map<String, String> more) {
        var settings = new HashMap<>(mailbox.settings());
        settings.putAll(more);
        return TestLatch.startPublic(dir, settings, new TestClock());
    }

    private static Http.Response forgot(TestLatch latch, String who) {
        return latch.http().postJson("/api/auth/forgot-password",
                JsonNodeFactory.instance.objectNode().put("username_or_email", who).toString());
    }

    private static long alice(TestLatch latch, String admin) {
        long id = latch.createUser(admin, "alice", PASSWORD, "viewer");
        assertEquals(200, latch.http().patchJson("/api/users/" + id, "{\"email\":\"alice@example.test\"}",
                "Authorization", Http.bearer(admin)).status());
        return id;
    }

    private static long adminId(TestLatch latch) {
        return latch.deps().users().findByUsername(TestLatch.ADMIN).orElseThrow().id();
    }

    @Test
    void anExistingAndAMissingAccountGetTheSameAnswerAndOnlyTheExistingOneAMailWhoseLinkWorks() {
        try (var mailbox = Mailbox.start(); var latch = start(mailbox, Map.of())) {
            String admin = latch.setupAdmin();
            String bearer = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            alice(latch, admin);
            String aliceSession = latch.token("alice", PASSWORD);

            var missing = forgot(latch, "nobody-here");
            var existing = forgot(latch, "alice");
            assertEquals(202, existing.status(), existing.toString());
            assertEquals(missing.status(), existing.status());
            assertArrayEquals(missing.body().getBytes(StandardCharsets.UTF_8), existing.body().getBytes(StandardCharsets.UTF_8));
            assertEquals(missing.header("Content-Type"), existing.header("Content-Type"));
            assertEquals(missing.header("Content-Length"), existing.header("Content-Length"));

            var mail = mailbox.await(1).get(0);
            assertEquals("alice@example.test", mail.to());
            assertEquals("Reset your Latch password", mail.subject());
            String origin = latch.settings().server().publicUrl();
            assertTrue(mail.link().startsWith(origin + "/reset#token="), "the link points at LATCH_PUBLIC_URL: " + mail.link());

            assertEquals(200, Links.reset(latch, mail.token(), "alice's brand new passphrase").status());
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(aliceSession)).status());
            assertEquals(200, latch.login("alice", "alice's brand new passphrase").status());
            assertEquals(410, Links.reset(latch, mail.token(), "another passphrase").status(), "once");
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(bearer)).status(),
                    "nobody else was signed out");

            assertEquals(1, mailbox.received().size(), "the missing account got nothing, and nobody else did");
            assertFalse(log.toString(StandardCharsets.UTF_8).contains(mail.token()), "the link never reaches the log");
        }
    }

    @Test
    void anEmailAddressFindsTheAccountToo() {
        try (var mailbox = Mailbox.start(); var latch = start(mailbox, Map.of())) {
            String admin = latch.setupAdmin();
            alice(latch, admin);
            assertEquals(202, forgot(latch, "ALICE@example.test").status());
            var mail = mailbox.await(1).get(0);
            assertTrue(mail.text().contains("\"alice\""), mail.text());
            assertEquals(200, Links.reset(latch, mail.token(), "alice's brand new passphrase").status());
        }
    }

    @Test
    void aClientAskingTooOftenIsToldToWait() {
        try (var mailbox = Mailbox.start(); var latch = start(mailbox, Map.of())) {
            latch.setupAdmin();
            for (int i = 0; i < latch.settings().limits().forgotPasswordPerClient().capacity(); i++) {
                assertEquals(202, forgot(latch, "someone-" + i).status());
            }
            var limited = forgot(latch, "someone-else");
            assertEquals(429, limited.status(), limited.toString());
            assertEquals("rate_limited", limited.json().get("error").asText());
            assertTrue(Long.parseLong(limited.header("Retry-After").orElseThrow()) > 0);
        }
    }

    @Test
    void anAccountGetsAFewMailsAnHourHoweverOftenSomeoneAsks() {
        try (var mailbox = Mailbox.start(); var latch = start(mailbox, Map.of())) {
            String admin = latch.setupAdmin();
            alice(latch, admin);
            assertEquals(200, latch.http().patchJson("/api/users/" + adminId(latch), "{\"email\":\"admin@example.test\"}",
                    "Authorization", Http.bearer(admin)).status());
            long cap = latch.settings().limits().resetMailPerAccount().capacity();
            for (int i = 0; i <= cap; i++) {
                assertEquals(202, forgot(latch, "alice").status(), "the answer never changes");
            }
            // The mail thread takes requests in order: once this one's mail is in, alice's extra request was handled.
            assertEquals(202, forgot(latch, TestLatch.ADMIN).status());
            var mails = mailbox.await((int) cap + 1);
            assertEquals(cap, mails.stream().filter(m -> m.to().equals("alice@example.test")).count());
            String newest = mails.stream().filter(m -> m.to().equals("alice@example.test")).reduce((a, b) -> b).orElseThrow().token();
            assertEquals(200, Links.reset(latch, newest, "alice's brand new passphrase").status(), "the newest link works");
        }
    }

    @Test
    void aDisabledAccountOrOneWithoutAnAddressGetsNoMail() {
        try (var mailbox = Mailbox.start(); var latch = start(mailbox, Map.of())) {
            String admin = latch.setupAdmin();
            long id = alice(latch, admin);
            latch.createUser(admin, "bob", "bob's long password", "viewer");
            latch.http().patchJson("/api/users/" + id, "{\"enabled\":false}", "Authorization", Http.bearer(admin));
            assertEquals(202, forgot(latch, "alice").status());
            assertEquals(202, forgot(latch, "bob").status());
            latch.http().patchJson("/api/users/" + adminId(latch), "{\"email\":\"admin@example.test\"}", "Authorization", Http.bearer(admin));
            assertEquals(202, forgot(latch, TestLatch.ADMIN).status());
            var mails = mailbox.await(1);
            assertEquals(1, mails.size());
            assertEquals("admin@example.test", mails.get(0).to());
        }
    }

    @Test
    void aMailServerThatIsDownCostsTheAnswerNothingAndLogsNoLink() throws Exception {
        int nobodyListens = TestLatch.freePort();
        var settings = Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(nobodyListens), "SMTP_SECURITY", "none",
                "SMTP_FROM", "latch@example.test");
        try (var latch = TestLatch.startPublic(dir, settings, new TestClock())) {
            String admin = latch.setupAdmin();
            alice(latch, admin);
            assertEquals(202, forgot(latch, "alice").status());
            for (int i = 0; i < 100 && !log.toString(StandardCharsets.UTF_8).contains("could not mail"); i++) {
                Thread.sleep(100); // the mail thread's attempt, which fails at once: nothing listens there
            }
            String written = log.toString(StandardCharsets.UTF_8);
            assertTrue(written.contains("could not mail a password reset link"), written);
            assertFalse(written.contains("#token="), written);
        }
    }

    @Test
    void withoutAMailServerTheEndpointRefusesClearlyAndSaysSo() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            assertFalse(latch.http().get("/api/auth/forgot-password").json().get("reset_by_mail").asBoolean());
            var res = forgot(latch, "alice");
            assertEquals(403, res.status(), res.toString());
            assertEquals("password_reset_by_mail_off", res.json().get("error").asText());
            assertTrue(res.json().get("message").asText().contains("admin"), res.toString());
        });
    }

    @Test
    void aMalformedRequestIsABadRequest() {
        try (var mailbox = Mailbox.start(); var latch = start(mailbox, Map.of())) {
            latch.setupAdmin();
            assertTrue(latch.http().get("/api/auth/forgot-password").json().get("reset_by_mail").asBoolean());
            assertEquals(400, latch.http().postJson("/api/auth/forgot-password", "{}").status());
            assertEquals(400, forgot(latch, "   ").status());
            assertEquals(400, forgot(latch, "x".repeat(300)).status());
        }
    }
}
