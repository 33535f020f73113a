package latch.web;

import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account, admin and registration pages driven in headless Debian Chromium against a real Latch. Two browsers
 * with separate profiles stand for two people: the admin, and someone they invite.
 * Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
class AccountsBrowserTest {
    private static final String PASSWORD = TestLatch.ADMIN_PASSWORD;

    @TempDir
    static Path adminProfile;
    @TempDir
    static Path inviteeProfile;
    @TempDir
    Path dataDir;

    // One browser per person for the whole class (starting Chromium is the slow part); no cookies survive a test.
    private static Browser admin;
    private static Browser invitee;

    @BeforeAll
    static void startBrowsers() {
        admin = new Browser(adminProfile, 1100, 1000);
        invitee = new Browser(inviteeProfile, 1100, 1000);
    }

    @AfterAll
    static void stopBrowsers() {
        Browser.quit(admin, invitee);
    }

    @AfterEach
    void forgetTheTest() {
        Browser.forgetTheTest(admin, invitee);
    }

    @Test
    void aPersonDownloadsTheirDataAndDeletesTheirAccountAfterConfirmingTwice() throws Exception {
        TestLatch.run(dataDir, latch -> {
            String adminToken = latch.setupAdmin();
            latch.createUser(adminToken, "dora", "dora's password", "viewer");
            String base = latch.http().base();
            invitee.signIn(base, "dora", "dora's password");
            invitee.driver.get(base + "/account");
            invitee.waitForPage(base + "/account");

            invitee.click("data-download");
            invitee.wait.until(d -> d.findElement(By.id("data-status")).getText().startsWith("Saved latch-my-data.json"));
            assertTrue(invitee.text("data-status").contains("1 sessions"), invitee.text("data-status"));

            // The first click only names the consequence; a wrong password is refused and the account stays.
            invitee.type("delete-password", "not dora's password");
            invitee.click("delete-submit");
            assertTrue(invitee.text("delete-submit").contains("sign out everywhere"), invitee.text("delete-submit"));
            assertTrue(latch.deps().users().findByUsername("dora").isPresent());
            invitee.click("delete-submit");
            invitee.wait.until(d -> !d.findElement(By.id("delete-error")).getText().isBlank());
            assertTrue(invitee.text("delete-error").contains("current password is wrong"), invitee.text("delete-error"));
            assertTrue(latch.deps().users().findByUsername("dora").isPresent());
            invitee.checkPage("account-delete");
            invitee.screenshot("account-delete");

            invitee.type("delete-password", "dora's password");
            invitee.click("delete-submit");
            invitee.click("delete-submit");
            invitee.waitForAddressStartingWith(base + "/login");
            assertTrue(latch.deps().users().findByUsername("dora").isEmpty());
            assertEquals(401, latch.login("dora", "dora's password").status());
        });
    }

    @Test
    void anInviteeRegistersThroughTheLinkAndTheirSessionDiesWhenTheAdminDisablesThem() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            admin.signIn(base, TestLatch.ADMIN, PASSWORD);
            admin.click("admin-link");
            admin.waitForPage(base + "/admin#overview");

            admin.click("tab-invites");
            admin.waitForPage(base + "/admin#invites");
            new Select(admin.find(By.id("invite-role"))).selectByValue("editor");
            admin.click("invite-submit");
            admin.wait.until(d -> !d.findElement(By.id("invite-url")).getDomProperty("value").isEmpty());
            String link = admin.find(By.id("invite-url")).getDomProperty("value");
            assertTrue(link.startsWith(base + "/register#invite="), link);
            admin.wait.until(d -> d.findElements(By.cssSelector("#invites-body tr")).size() == 1);
            assertEquals("0 of 1", admin.find(By.cssSelector("#invites-body tr td[data-label='Used']")).getText());
            admin.click("invite-copy");
            admin.wait.until(d -> !d.findElement(By.id("invite-copy-status")).getText().isBlank());
            admin.checkPage("admin-invites");
            admin.screenshot("admin-invites");

            // The invitee, in a browser of their own, follows the link.
            invitee.driver.get(link);
            invitee.waitForPage(link);
            invitee.checkPage("register");
            invitee.screenshot("register");
            invitee.type("username", "ivy");
            invitee.type("password", "ivy's long passphrase");
            invitee.type("password-confirm", "ivy's long passphrase");
            invitee.click("submit");
            invitee.waitForPage(base + "/");
            assertEquals("Signed in as ivy, an editor", invitee.text("who"));
            assertFalse(invitee.find(By.id("admin-link")).isDisplayed(), "only admins are offered the admin page");

            // The invitation is used up, and the list says so.
            admin.click("tab-users");
            admin.click("tab-invites");
            admin.wait.until(d -> d.findElements(By.cssSelector("#invites-body tr[data-state='used_up']")).size() == 1);

            // The admin disables the new account. The users tab reloads its list each time it is shown: acting on the
            // list shown before would hit an item the reload is about to replace (a stale element, now and then).
            By ivy = By.cssSelector("#users-list li[data-username='ivy']");
            WebElement shownBefore = admin.find(ivy);
            admin.click("tab-users");
            admin.wait.until(ExpectedConditions.stalenessOf(shownBefore));
            admin.wait.until(ExpectedConditions.presenceOfElementLocated(ivy));
            assertEquals("editor", new Select(admin.find(ivy).findElement(By.cssSelector("select[data-action='role']")))
                    .getFirstSelectedOption().getDomProperty("value"));
            admin.find(ivy).findElement(By.cssSelector("button[data-action='toggle-enabled']")).click();
            admin.answer("confirm");
            admin.wait.until(d -> d.findElement(By.id("users-status")).getText().equals("ivy is disabled and signed out everywhere."));
            assertTrue(admin.find(ivy).getText().contains("Disabled"), admin.find(ivy).getText());
            assertEquals("Enable", admin.find(ivy).findElement(By.cssSelector("button[data-action='toggle-enabled']")).getText());
            admin.checkPage("admin-users");
            admin.screenshot("admin-users");

            // Their browser still holds the cookie, but the session behind it is gone.
            invitee.driver.navigate().refresh();
            invitee.waitForPage(base + "/login");

            // And the audit log says who did it.
            admin.click("tab-audit");
            admin.waitForPage(base + "/admin#audit");
            By disabled = By.cssSelector("#audit-body tr[data-type='user_disabled']");
            admin.wait.until(ExpectedConditions.presenceOfElementLocated(disabled));
            String row = admin.find(disabled).getText();
            assertTrue(row.contains("User disabled") && row.contains("admin") && row.contains("ivy"), row);
            admin.checkPage("admin-audit");
            admin.screenshot("admin-audit");

            // Filtering by user and type narrows it to that one event.
            admin.type("audit-user", "ivy");
            new Select(admin.find(By.id("audit-type"))).selectByValue("user_disabled");
            admin.click("audit-apply");
            admin.wait.until(d -> d.findElements(By.cssSelector("#audit-body tr")).size() == 1
                    && !d.findElements(disabled).isEmpty());
        });
    }

    @Test
    void theAccountPageListsSessionsAndSignsOutAnotherOne() {
        TestLatch.run(dataDir, latch -> {
            String setupSession = latch.setupAdmin();
            String base = latch.http().base();
            String elsewhere = latch.token(TestLatch.ADMIN, PASSWORD); // another device, signed in through the API
            admin.signIn(base, TestLatch.ADMIN, PASSWORD);
            admin.click("account-link");
            admin.waitForPage(base + "/account");

            // Setup, the API sign-in and this browser: three sessions, one of them here.
            admin.wait.until(d -> d.findElements(By.cssSelector("#sessions-body tr")).size() == 3);
            WebElement here = admin.find(By.cssSelector("#sessions-body tr[data-current='true']"));
            assertTrue(here.getText().contains("This device"), here.getText());
            assertTrue(here.findElements(By.tagName("button")).isEmpty(), "this device is signed out with the buttons below");
            assertTrue(admin.find(By.cssSelector("#events-body tr[data-type='sign_in']")).isDisplayed());
            admin.checkPage("account");
            admin.screenshot("account");

            WebElement other = admin.find(By.cssSelector("#sessions-body tr[data-current='false']"));
            String ended = other.getDomAttribute("data-session-id");
            other.findElement(By.cssSelector("button[data-action='end-session']")).click();
            admin.wait.until(d -> d.findElements(By.cssSelector("#sessions-body tr")).size() == 2);
            admin.wait.until(d -> d.findElement(By.id("sessions-status")).getText().startsWith("Signed out "));
            assertTrue(admin.driver.findElements(By.cssSelector("#sessions-body tr[data-session-id='" + ended + "']")).isEmpty());
            int setupStatus = latch.http().get("/api/auth/me", "Authorization", Http.bearer(setupSession)).status();
            int elsewhereStatus = latch.http().get("/api/auth/me", "Authorization", Http.bearer(elsewhere)).status();
            assertEquals(List.of(200, 401), java.util.stream.Stream.of(setupStatus, elsewhereStatus).sorted().toList(),
                    "exactly the session signed out on the page has ended");

            // This device is still signed in.
            admin.driver.navigate().refresh();
            admin.waitForPage(base + "/account");
            admin.wait.until(d -> d.findElements(By.cssSelector("#sessions-body tr[data-current='true']")).size() == 1);
        });
    }

    @Test
    void changingThePasswordOnTheAccountPageKeepsThisDeviceAndEndsTheOthers() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            admin.signIn(base, TestLatch.ADMIN, PASSWORD);
            String elsewhere = latch.token(TestLatch.ADMIN, PASSWORD);
            String minted = mintClientToken(latch, elsewhere); // as whoever knew the old password could have
            admin.driver.get(base + "/account");
            admin.waitForPage(base + "/account");
            admin.wait.until(d -> d.findElements(By.cssSelector("#tokens-list > li")).size() == 1);
            assertTrue(admin.find(By.id("revoke-tokens")).isSelected(), "revoking API tokens with the password is the default");

            admin.type("current-password", "not my password");
            admin.type("new-password", "a brand new passphrase");
            admin.type("new-password-confirm", "a brand new passphrase");
            admin.click("password-submit");
            admin.wait.until(d -> !d.findElement(By.id("password-error")).getText().isBlank());
            assertEquals("current-password", admin.driver.switchTo().activeElement().getDomAttribute("id"));

            admin.type("current-password", PASSWORD);
            admin.type("new-password", "a brand new passphrase");
            admin.type("new-password-confirm", "a brand new passphrase");
            admin.click("password-submit");
            admin.wait.until(d -> d.findElement(By.id("password-status")).getText()
                    .equals("Password changed. You were signed out on every other device, and your API tokens were revoked."));
            admin.wait.until(d -> d.findElements(By.cssSelector("#sessions-body tr")).size() == 1);
            admin.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events-body tr[data-type='password_changed']")));
            admin.wait.until(d -> d.findElements(By.cssSelector("#tokens-list > li")).isEmpty());

            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(elsewhere)).status());
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(minted)).status(),
                    "the token minted with the old password died with it");
            assertEquals(401, latch.login(TestLatch.ADMIN, PASSWORD).status());
            assertTrue(admin.find(By.id("revoke-tokens")).isSelected(), "the next change revokes again unless unticked");

            // Unticked, the next change keeps the tokens (a script at home keeps running) but still ends other sessions.
            String other = latch.token(TestLatch.ADMIN, "a brand new passphrase");
            String kept = mintClientToken(latch, other);
            admin.click("revoke-tokens");
            assertFalse(admin.find(By.id("revoke-tokens")).isSelected());
            admin.type("current-password", "a brand new passphrase");
            admin.type("new-password", "a third passphrase");
            admin.type("new-password-confirm", "a third passphrase");
            admin.click("password-submit");
            admin.wait.until(d -> d.findElement(By.id("password-status")).getText()
                    .equals("Password changed. You were signed out on every other device; your API tokens still work."));
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(kept)).status(), "unticked, tokens survive");
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(other)).status());
            assertTrue(admin.find(By.id("revoke-tokens")).isSelected(), "the choice does not stick to the next change");
            assertEquals(200, latch.login(TestLatch.ADMIN, "a third passphrase").status());

            admin.driver.navigate().refresh();
            admin.waitForPage(base + "/account");
            assertEquals(TestLatch.ADMIN, admin.text("me-username"));

            // "Everywhere, including here" asks once more, then ends this session too.
            admin.click("logout-everywhere");
            assertEquals("Really sign out everywhere?", admin.text("logout-everywhere"));
            admin.click("logout-everywhere");
            admin.waitForPage(base + "/login?signed_out=1");
            admin.driver.get(base + "/account");
            admin.waitForPage(base + "/login?rd=%2Faccount");
        });
    }

    @Test
    void theAccountPageSetsTheNetplayNameAndSaysWhenItIsTaken() {
        TestLatch.run(dataDir, latch -> {
            String setupSession = latch.setupAdmin();
            latch.createUser(setupSession, "bob", "bob password", "viewer");
            var taken = latch.http().patchJson("/api/auth/me", "{\"netplay_username\":\"Speedy\"}",
                    "Authorization", Http.bearer(latch.token("bob", "bob password")));
            assertEquals(200, taken.status(), taken.toString());
            String base = latch.http().base();
            admin.signIn(base, TestLatch.ADMIN, PASSWORD);
            admin.driver.get(base + "/account");
            admin.waitForPage(base + "/account");
            assertEquals(TestLatch.ADMIN, admin.find(By.id("netplay-username")).getDomProperty("value"), "the username by default");

            admin.type("netplay-username", "speedy");
            admin.click("profile-submit");
            admin.wait.until(d -> !d.findElement(By.id("profile-error")).getText().isBlank());
            assertEquals("That netplay name is taken; choose another.", admin.text("profile-error"));
            assertEquals("netplay-username", admin.driver.switchTo().activeElement().getDomAttribute("id"));
            assertEquals("true", admin.find(By.id("netplay-username")).getDomAttribute("aria-invalid"));

            admin.type("netplay-username", "Player One");
            admin.click("profile-submit");
            admin.wait.until(d -> d.findElement(By.id("profile-status")).getText().equals("Profile saved."));
            assertTrue(admin.text("profile-error").isBlank());
            var me = latch.http().get("/api/auth/me", "Authorization", Http.bearer(setupSession)).json();
            assertEquals("Player One", me.at("/user/netplay_username").asText());
        });
    }

    @Test
    void anAdminCreatesAUserChangesTheirRoleAndDeletesThemOnceAsked() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            admin.signIn(base, TestLatch.ADMIN, PASSWORD);
            admin.driver.get(base + "/admin#users");
            admin.waitForPage(base + "/admin#users");

            admin.type("new-username", "bob");
            admin.type("new-display-name", "Bob Builder");
            admin.type("new-email", "bob@example.test");
            admin.type("new-password", "bob's long passphrase");
            admin.click("create-user-submit");
            By bob = By.cssSelector("#users-list li[data-username='bob']");
            admin.wait.until(ExpectedConditions.presenceOfElementLocated(bob));
            assertTrue(admin.find(bob).getText().contains("Bob Builder"), admin.find(bob).getText());

            admin.type("new-username", "bob");
            admin.type("new-password", "another passphrase");
            admin.click("create-user-submit");
            admin.wait.until(d -> !d.findElement(By.id("create-user-error")).getText().isBlank());
            assertEquals("new-username", admin.driver.switchTo().activeElement().getDomAttribute("id"));

            new Select(admin.find(bob).findElement(By.cssSelector("select[data-action='role']"))).selectByValue("editor");
            admin.answer("confirm");
            admin.wait.until(d -> d.findElement(By.id("users-status")).getText().equals("bob is now an editor."));
            assertEquals("editor", roleOf(latch, "bob"));

            // The last admin cannot demote themselves: the select is not offered, and the row says why.
            By me = By.cssSelector("#users-list li[data-username='admin']");
            assertFalse(admin.find(me).findElement(By.cssSelector("select[data-action='role']")).isEnabled());
            assertTrue(admin.find(me).getText().contains("You are the only admin"), admin.find(me).getText());

            // Search narrows the list.
            admin.type("user-search", "builder");
            admin.click("user-search-submit");
            admin.wait.until(d -> d.findElements(By.cssSelector("#users-list li")).size() == 1);

            admin.find(bob).findElement(By.cssSelector("button[data-action='delete']")).click();
            admin.waitForQuestion();
            assertEquals("editor", roleOf(latch, "bob"), "one click deletes nothing");
            admin.answer("confirm");
            admin.wait.until(d -> d.findElements(bob).isEmpty());
            assertEquals("bob was deleted.", admin.text("users-status"));
            assertEquals(401, latch.login("bob", "bob's long passphrase").status());
        });
    }

    @Test
    void nonAdminsAreSentHomeFromTheAdminPage() {
        TestLatch.run(dataDir, latch -> {
            String adminToken = latch.setupAdmin();
            latch.createUser(adminToken, "vera", "vera's long passphrase", "viewer");
            String base = latch.http().base();
            invitee.signIn(base, "vera", "vera's long passphrase");
            assertFalse(invitee.find(By.id("admin-link")).isDisplayed());
            invitee.driver.get(base + "/admin");
            invitee.waitForPage(base + "/");
            invitee.driver.get(base + "/account");
            invitee.waitForPage(base + "/account");
            assertFalse(invitee.find(By.id("nav-admin")).isDisplayed());
        });
    }

    @Test
    void registeringWithoutAnInvitationExplainsThatOneIsNeeded() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            invitee.driver.get(base + "/register");
            invitee.waitForPage(base + "/register");
            assertTrue(invitee.find(By.id("invite-needed")).isDisplayed());
            assertFalse(invitee.find(By.id("register-form")).isDisplayed());

            // A link that is no good says so as the page opens, with no form to fill in for nothing.
            invitee.driver.get(base + "/register#invite=forged-or-expired");
            invitee.driver.navigate().refresh(); // a fragment-only change does not reload the page
            invitee.waitForPage(base + "/register#invite=forged-or-expired");
            assertTrue(invitee.find(By.id("invite-dead")).isDisplayed());
            assertFalse(invitee.find(By.id("register-form")).isDisplayed());
        });
    }

    private static String mintClientToken(TestLatch latch, String session) {
        var res = latch.http().postJson("/api/client-tokens", "{\"name\":\"script\",\"scopes\":[\"me.read\"]}",
                "Authorization", Http.bearer(session));
        assertEquals(201, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    private static String roleOf(TestLatch latch, String username) {
        var users = latch.http().get("/api/users?q=" + username, "Authorization", Http.bearer(latch.token(TestLatch.ADMIN, PASSWORD)))
                .json().get("users");
        return users.get(0).get("role").asText();
    }

    @Test
    void theAdminPageOpensOnAnOverviewWithTheLastDaysSignInsDrawnAsAChart() throws Exception {
        TestLatch.run(dataDir, latch -> {
            String token = latch.setupAdmin();
            latch.createUser(token, "bob", "bobs password", "viewer");
            latch.login("bob", "not bobs password");
            String base = latch.http().base();
            admin.signIn(base, TestLatch.ADMIN, PASSWORD);
            admin.driver.get(base + "/admin");
            admin.waitForPage(base + "/admin#overview");
            admin.wait.until(d -> !d.findElement(By.id("figure-users")).getText().equals("—"));
            assertEquals("2", admin.text("figure-users"));
            assertEquals("2 enabled, 1 admin", admin.text("figure-users-note"));
            var chart = admin.find(By.cssSelector("#sign-ins-chart svg[role=img]"));
            String label = chart.getDomAttribute("aria-label");
            assertTrue(label.contains("2 signed in, 1 failed"), label);
            assertEquals(2, admin.driver.findElements(By.cssSelector("#sign-ins-chart rect")).size(), "one bar each");
            admin.checkPage("admin-overview");
            admin.screenshot("admin-overview");
        });
    }

    @Test
    @RaisesAlerts("a burst of wrong passwords, to have an alert to show")
    void anAlertShowsOnTheOverviewLeadsToTheAuditLogAndIsAcknowledged() {
        TestLatch.run(dataDir, Map.of("ALERT_FAILED_SIGNINS_PER_ACCOUNT", "3", "LOGIN_BAN_MAX_FAILURES", "100"), latch -> {
            String token = latch.setupAdmin();
            latch.createUser(token, "bob", "bobs password", "viewer");
            for (int i = 0; i < 3; i++) {
                assertEquals(401, latch.login("bob", "guess " + i).status());
            }
            String base = latch.http().base();
            admin.signIn(base, TestLatch.ADMIN, PASSWORD);
            admin.driver.get(base + "/admin");
            admin.waitForPage(base + "/admin#overview");
            var alert = admin.find(By.cssSelector("#alerts-list li"));
            assertTrue(alert.getText().contains("Many wrong passwords for one account"), alert.getText());
            assertTrue(alert.getText().contains("bob"), alert.getText());
            assertEquals("1", admin.text("figure-alerts"));

            alert.findElement(By.xpath(".//button[text()='Audit log']")).click();
            admin.waitForPage(base + "/admin#audit");
            assertEquals("bob", admin.driver.findElement(By.id("audit-user")).getDomProperty("value"));

            admin.click("tab-overview");
            admin.find(By.cssSelector("#alerts-list li")).findElement(By.xpath(".//button[text()='Acknowledge']")).click();
            admin.wait.until(d -> d.findElement(By.id("alerts-status")).getText().equals("Alert acknowledged."));
            admin.wait.until(d -> d.findElements(By.cssSelector("#alerts-list li")).isEmpty());
            assertEquals("0", admin.text("figure-alerts"));
        });
    }
}
