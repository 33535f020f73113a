package latch.web;

import latch.access.Principal;
import latch.support.Http;
import latch.support.Mailbox;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ways back in, driven in headless Chromium: an admin's reset link on the admin page, the reset page, the
 * forgot-password page with a real SMTP server, and a sign-in link from the command line with password sign-in off.
 * Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
class RecoveryBrowserTest {
    private static final String NEW_PASSWORD = "alice's brand new passphrase";

    @TempDir
    static Path adminProfile;
    @TempDir
    static Path userProfile;
    @TempDir
    Path dataDir;

    private static Browser admin;
    private static Browser user;

    @BeforeAll
    static void startBrowsers() {
        admin = new Browser(adminProfile, 1100, 1000);
        user = new Browser(userProfile, 900, 900);
    }

    @AfterAll
    static void stopBrowsers() {
        Browser.quit(admin, user);
    }

    @AfterEach
    void forgetTheTest() {
        Browser.forgetTheTest(admin, user);
    }

    private static long alice(TestLatch latch, String adminToken) {
        long id = latch.createUser(adminToken, "alice", "alice's old password", "viewer");
        latch.http().patchJson("/api/users/" + id, "{\"email\":\"alice@example.test\"}", "Authorization", Http.bearer(adminToken));
        return id;
    }

    /** Opens a reset link, chooses {@link #NEW_PASSWORD} and signs in with it. */
    private static void chooseANewPasswordAndSignIn(String base, String link) {
        user.driver.get("about:blank"); // from /reset itself, a new fragment would not load the page again
        user.driver.get(link);
        user.waitForPage(base + "/reset"); // the token left the address bar
        user.type("new-password", NEW_PASSWORD);
        user.type("new-password-confirm", NEW_PASSWORD);
        user.click("submit");
        user.wait.until(d -> d.findElement(By.id("done-status")).getText().startsWith("Your password is set, alice"));
        user.click("done-signin");
        user.waitForPage(base + "/login");
        user.type("username", "alice");
        user.type("password", NEW_PASSWORD);
        user.click("submit");
        user.waitForPage(base + "/");
        assertEquals("alice", user.text("who-username"));
    }

    @Test
    void anAdminHandsOverAResetLinkAndTheUserChoosesANewPasswordWithIt() {
        TestLatch.run(dataDir, latch -> {
            String adminToken = latch.setupAdmin();
            long id = alice(latch, adminToken);
            String before = latch.token("alice", "alice's old password");
            String base = latch.http().base();

            admin.signIn(base, TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            admin.driver.get(base + "/admin#users");
            admin.waitForPage(base + "/admin#users");
            By aliceItem = By.cssSelector("#users-list li[data-username='alice']");
            admin.find(aliceItem).findElement(By.cssSelector("button[data-action='reset-link']")).click();
            admin.wait.until(d -> !d.findElement(By.id("reset-link-url-" + id)).getDomProperty("value").isEmpty());
            String link = admin.find(By.id("reset-link-url-" + id)).getDomProperty("value");
            assertTrue(link.startsWith(base + "/reset#token="), link);
            admin.checkPage("admin-reset-link");
            admin.screenshot("admin-reset-link");

            // A mistyped confirmation and a weak password are refused without spending the link.
            user.driver.get(link);
            user.waitForPage(base + "/reset");
            user.checkPage("reset");
            user.type("new-password", "short");
            user.type("new-password-confirm", "short");
            user.click("submit");
            assertTrue(user.waitForError().contains("at least"), user.text("error"));
            chooseANewPasswordAndSignIn(base, link); // the same link, still unspent
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(before)).status(),
                    "the session from before the reset has ended");

            // The link is spent now: opening it again says so.
            user.driver.get(link);
            user.waitForPage(base + "/reset");
            user.type("new-password", "yet another passphrase");
            user.type("new-password-confirm", "yet another passphrase");
            user.click("submit");
            assertTrue(user.waitForError().contains("already used"), user.text("error"));
        });
    }

    @Test
    void theForgotPasswordPageMailsALinkThatWorks() throws Exception {
        try (var mailbox = Mailbox.start(); var latch = TestLatch.startPublic(dataDir, mailbox.settings(), new TestClock())) {
            alice(latch, latch.setupAdmin());
            String base = latch.settings().server().publicUrl();

            user.driver.get(base + "/login");
            user.waitForPage(base + "/login");
            user.click("forgot-link");
            user.waitForPage(base + "/forgot");
            user.type("username-or-email", "alice@example.test");
            user.checkPage("forgot");
            user.screenshot("forgot");
            user.click("submit");
            user.wait.until(d -> d.findElement(By.id("sent-status")).getText().startsWith("If an account"));

            var mail = mailbox.await(1).get(0);
            assertEquals("alice@example.test", mail.to());
            chooseANewPasswordAndSignIn(base, mail.link());
        }
    }

    @Test
    void withoutMailTheForgotPasswordPageSaysToAskAnAdmin() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            user.driver.get(base + "/forgot");
            user.waitForPage(base + "/forgot");
            assertTrue(user.find(By.id("ask-admin")).isDisplayed());
            assertTrue(user.text("ask-admin-text").contains("Ask an admin of this server"), user.text("ask-admin-text"));
            assertFalse(user.find(By.id("forgot-form")).isDisplayed());
        });
    }

    @Test
    void aSignInLinkSignsTheBrowserInWithPasswordLoginOff() {
        TestLatch.run(dataDir, TestLatch.PASSWORD_LOGIN_OFF, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            var owner = latch.deps().users().findByUsername(TestLatch.ADMIN).orElseThrow();
            String link = latch.deps().recovery().service()
                    .loginLink(Principal.system("test", latch.deps().scopes().all()), owner).url(base);

            user.driver.get(link);
            user.waitForPage(base + "/");
            assertEquals(TestLatch.ADMIN, user.text("who-username"));

            // Used once: the same link again lands on the sign-in page with the reason.
            user.driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
            user.driver.get(link);
            user.waitForPage(base + "/login");
            assertTrue(user.waitForError().contains("already used"), user.text("error"));
        });
    }
}
