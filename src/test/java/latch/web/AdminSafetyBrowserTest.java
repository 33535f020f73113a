package latch.web;

import com.fasterxml.jackson.databind.JsonNode;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin page asks before a role change, disabling or deleting, and offers nothing on your own row that can only
 * fail; invitations carry a name and a state, a dead link says so when it opens, the forms that set a password count
 * it as it is typed, and the admin tabs follow the address. Each at desktop size and on a 390x844 phone.
 */
class AdminSafetyBrowserTest {
    private static final String PASSWORD = TestLatch.ADMIN_PASSWORD;

    enum Size {
        DESKTOP(1100, 1000, false), PHONE(390, 844, true);

        final int width;
        final int height;
        final boolean mobile;

        Size(int width, int height, boolean mobile) {
            this.width = width;
            this.height = height;
            this.mobile = mobile;
        }
    }

    @TempDir
    static Path adminProfile;
    @TempDir
    static Path inviteeProfile;
    @TempDir
    Path dataDir;

    private static Browser admin;
    private static Browser invitee;
    /** The size the running test set, checked on every page it opens. */
    private static Size size = Size.DESKTOP;

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
        for (Browser b : new Browser[] {admin, invitee}) {
            if (b != null) {
                b.resetViewport();
            }
        }
        Browser.forgetTheTest(admin, invitee);
    }

    private static void use(Size wanted) {
        size = wanted;
        for (Browser b : new Browser[] {admin, invitee}) {
            b.viewport(wanted.width, wanted.height, wanted.mobile);
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Asking first

    @ParameterizedTest
    @EnumSource(Size.class)
    void aRoleChangeIsAskedFirstAndCancellingLeavesTheRoleAsItWas(Size size) {
        TestLatch.run(dataDir, latch -> {
            use(size);
            String token = latch.setupAdmin();
            long alex = latch.createUser(token, "alex", "alex's long passphrase", "viewer");
            named(latch, token, alex, "Alex");
            String base = openAdmin(latch, "#users");
            By row = userRow("alex");

            roleSelect(row).selectByValue("admin");
            admin.waitForQuestion();
            assertEquals("Make Alex an admin?", admin.text("confirm-question"));
            assertEquals("Alex will be able to manage every account and key on this server.", admin.text("confirm-consequence"));
            assertEquals("cancel", admin.driver.switchTo().activeElement().getDomAttribute("value"), "Cancel has the focus");
            checkPage(admin, "#confirm");
            admin.checkPageInBothSchemes("admin-confirm-role-" + size.name().toLowerCase());
            admin.screenshotLightAndDark("admin-confirm-role-" + size.name().toLowerCase());
            admin.answer("cancel");
            assertEquals("viewer", selectedRole(row), "the dropdown is back at the old role");
            assertEquals("role-" + alex, admin.driver.switchTo().activeElement().getDomAttribute("id"), "focus is back on it");
            assertEquals("viewer", onServer(latch, token, "alex").get("role").asText());

            // Escape is a cancel too.
            roleSelect(row).selectByValue("editor");
            admin.waitForQuestion();
            assertEquals("Make Alex an editor?", admin.text("confirm-question"));
            admin.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            admin.wait.until(d -> d.findElement(By.id("confirm")).getDomAttribute("open") == null);
            assertEquals("viewer", selectedRole(row));
            assertEquals("viewer", onServer(latch, token, "alex").get("role").asText());

            roleSelect(row).selectByValue("admin");
            admin.waitForQuestion();
            admin.answer("confirm");
            admin.wait.until(d -> d.findElement(By.id("users-status")).getText().equals("alex is now an admin."));
            assertEquals("admin", onServer(latch, token, "alex").get("role").asText());
            assertEquals("admin", selectedRole(row));
            assertEquals(base + "/admin#users", admin.driver.getCurrentUrl());
        });
    }

    @ParameterizedTest
    @EnumSource(Size.class)
    void disablingAndDeletingAreAskedFirstNamingThePersonAndTheConsequence(Size size) {
        TestLatch.run(dataDir, latch -> {
            use(size);
            String token = latch.setupAdmin();
            long sam = latch.createUser(token, "sam", "sam's long passphrase", "editor");
            named(latch, token, sam, "Sam");
            openAdmin(latch, "#users");
            By row = userRow("sam");
            By toggle = By.cssSelector("#users-list li[data-username='sam'] button[data-action='toggle-enabled']");
            By delete = By.cssSelector("#users-list li[data-username='sam'] button[data-action='delete']");

            admin.find(toggle).click();
            admin.waitForQuestion();
            assertEquals("Disable Sam?", admin.text("confirm-question"));
            assertEquals("Sam is signed out everywhere and cannot sign in until enabled.", admin.text("confirm-consequence"));
            admin.answer("cancel");
            assertTrue(onServer(latch, token, "sam").get("enabled").asBoolean(), "cancelled: still enabled");
            assertEquals(200, latch.login("sam", "sam's long passphrase").status());

            admin.find(toggle).click();
            admin.waitForQuestion();
            admin.answer("confirm");
            admin.wait.until(d -> d.findElement(By.id("users-status")).getText().equals("sam is disabled and signed out everywhere."));
            assertFalse(onServer(latch, token, "sam").get("enabled").asBoolean());
            admin.wait.until(d -> d.findElement(toggle).getText().equals("Enable"));

            // Enabling again is not asked: it takes nothing away.
            admin.find(toggle).click();
            admin.wait.until(d -> d.findElement(By.id("users-status")).getText().equals("sam can sign in again."));
            assertTrue(onServer(latch, token, "sam").get("enabled").asBoolean());

            admin.find(delete).click();
            admin.waitForQuestion();
            assertEquals("Delete Sam?", admin.text("confirm-question"));
            assertEquals("Their account, sessions and tokens go; this cannot be undone.", admin.text("confirm-consequence"));
            admin.answer("cancel");
            assertTrue(latch.deps().users().findByUsername("sam").isPresent(), "cancelled: nothing deleted");
            checkPage(admin, "#panel-users");

            admin.find(delete).click();
            admin.waitForQuestion();
            admin.answer("confirm");
            admin.wait.until(d -> d.findElements(row).isEmpty());
            assertEquals("sam was deleted.", admin.text("users-status"));
            assertTrue(latch.deps().users().findByUsername("sam").isEmpty());
        });
    }

    @ParameterizedTest
    @EnumSource(Size.class)
    void yourOwnRowSaysWhyItOffersNoDisableOrDeleteAndNoRoleChangeForTheLastAdmin(Size size) {
        TestLatch.run(dataDir, latch -> {
            use(size);
            String token = latch.setupAdmin();
            openAdmin(latch, "#users");
            By me = userRow(TestLatch.ADMIN);
            WebElement mine = admin.find(me);
            assertTrue(mine.findElements(By.cssSelector("button[data-action='toggle-enabled'], button[data-action='delete']")).isEmpty(),
                    "nothing that can only fail");
            String note = mine.findElement(By.cssSelector("[data-note='own-account']")).getText();
            assertTrue(note.startsWith("You can't disable or delete your own account here; to delete it, use your account page."), note);
            assertTrue(note.contains("You are the only admin"), note);
            WebElement select = mine.findElement(By.cssSelector("select[data-action='role']"));
            assertFalse(select.isEnabled(), "the last admin's role cannot change");
            assertEquals("own-" + mine.getDomAttribute("data-user-id"), select.getDomAttribute("aria-describedby"));
            assertEquals("/account", mine.findElement(By.cssSelector("[data-note='own-account'] a")).getDomAttribute("href"));
            checkPage(admin, "#panel-users");
            admin.checkPage("admin-own-row-" + size.name().toLowerCase());
            admin.screenshot("admin-own-row-" + size.name().toLowerCase());

            // With a second admin the role may change (after asking), but disabling or deleting yourself still is not offered.
            latch.createUser(token, "root2", "second admin pw", "admin");
            admin.driver.navigate().refresh();
            admin.waitForPage(latch.http().base() + "/admin#users");
            mine = admin.find(me);
            note = mine.findElement(By.cssSelector("[data-note='own-account']")).getText();
            assertFalse(note.contains("only admin"), note);
            assertTrue(mine.findElements(By.cssSelector("button[data-action='toggle-enabled'], button[data-action='delete']")).isEmpty());
            assertEquals(2, admin.find(userRow("root2")).findElements(
                    By.cssSelector("button[data-action='toggle-enabled'], button[data-action='delete']")).size(), "another admin's row has both");
            roleSelect(me).selectByValue("editor");
            admin.waitForQuestion();
            assertEquals("Make yourself an editor?", admin.text("confirm-question"));
            assertEquals("You will no longer be able to manage accounts and keys, and this page closes for you at once.",
                    admin.text("confirm-consequence"));
            admin.answer("cancel");
            assertEquals("admin", selectedRole(me));
            assertEquals("admin", onServer(latch, token, TestLatch.ADMIN).get("role").asText());
        });
    }

    // -----------------------------------------------------------------------------------------------------------
    // Invitations

    @ParameterizedTest
    @EnumSource(Size.class)
    void anInvitationIsNamedAndTheListShowsEachLinksState(Size size) {
        TestLatch.run(dataDir, latch -> {
            use(size);
            String token = latch.setupAdmin();
            String usedUp = invite(latch, token, "{\"name\":\"for the neighbours\"}").get("token").asText();
            assertEquals(201, latch.http().postJson("/api/auth/register",
                    "{\"invite\":\"" + usedUp + "\",\"username\":\"neighbour\",\"password\":\"neighbour password\"}").status());
            String revoked = invite(latch, token, "{\"name\":\"revoked one\"}").get("id").asText();
            assertEquals(204, latch.http().delete("/api/invites/" + revoked, "Authorization", Http.bearer(token)).status());
            invite(latch, token, "{\"name\":\"short lived\",\"expires_in_seconds\":60}");
            latch.clock().advance(Duration.ofSeconds(61));

            openAdmin(latch, "#invites");
            admin.type("invite-name", "For Grandma's tablet");
            new Select(admin.find(By.id("invite-role"))).selectByValue("editor");
            admin.type("invite-uses", "2");
            admin.click("invite-submit");
            admin.wait.until(d -> !d.findElement(By.id("invite-url")).getDomProperty("value").isEmpty());
            admin.wait.until(d -> d.findElements(By.cssSelector("#invites-body tr")).size() == 4);
            assertEquals("", admin.find(By.id("invite-name")).getDomProperty("value"), "a name is for one link");

            WebElement named = admin.find(By.cssSelector("#invites-body tr:first-child"));
            assertEquals("active", named.getDomAttribute("data-state"));
            assertEquals("For Grandma's tablet", cell(named, "Name"));
            assertTrue(cell(named, "State").contains("Active") && cell(named, "State").contains("2 uses left"), cell(named, "State"));
            assertEquals("0 of 2", cell(named, "Used"));
            assertEquals("Revoke the invitation \"For Grandma's tablet\"",
                    named.findElement(By.cssSelector("button[data-action='revoke']")).getDomAttribute("aria-label"));
            assertEquals("for the neighbours", cell(row("used_up"), "Name"));
            assertTrue(cell(row("expired"), "Name").contains("short lived"));
            assertTrue(cell(row("revoked"), "State").contains("Revoked"), cell(row("revoked"), "State"));
            assertEquals("1 of 1", cell(row("used_up"), "Used"));
            for (String dead : new String[] {"used_up", "expired", "revoked"}) {
                assertTrue(row(dead).findElements(By.cssSelector("button[data-action='revoke']")).isEmpty(), dead + ": nothing to revoke");
            }
            checkPage(admin, "#panel-invites");
            admin.checkPageInBothSchemes("admin-invites-states-" + size.name().toLowerCase());
            admin.screenshotLightAndDark("admin-invites-states-" + size.name().toLowerCase());

            // Revoking keeps the row, now saying so.
            WebElement revoke = named.findElement(By.cssSelector("button[data-action='revoke']"));
            revoke.click();
            revoke.click();
            admin.wait.until(d -> d.findElement(By.id("invites-status")).getText().equals("Invitation revoked: its link no longer works."));
            admin.wait.until(d -> d.findElements(By.cssSelector("#invites-body tr[data-state='revoked']")).size() == 2);
            assertEquals(0, admin.driver.findElements(By.cssSelector("#invites-body tr[data-state='active']")).size());
        });
    }

    @ParameterizedTest
    @EnumSource(Size.class)
    void aDeadInvitationLinkSaysSoAsThePageOpensAndALiveOneNamesTheRole(Size size) {
        TestLatch.run(dataDir, latch -> {
            use(size);
            String token = latch.setupAdmin();
            String base = latch.http().base();
            var usedUp = invite(latch, token, "{}");
            assertEquals(201, latch.http().postJson("/api/auth/register", "{\"invite\":\"" + usedUp.get("token").asText()
                    + "\",\"username\":\"early\",\"password\":\"early bird password\"}").status());
            var revoked = invite(latch, token, "{\"name\":\"secret plans\"}");
            assertEquals(204, latch.http().delete("/api/invites/" + revoked.get("id").asText(), "Authorization", Http.bearer(token)).status());

            for (String link : new String[] {usedUp.get("url").asText(), revoked.get("url").asText(),
                    base + "/register#invite=never-made-by-this-server"}) {
                open(invitee, link);
                WebElement dead = invitee.find(By.id("invite-dead"));
                assertTrue(dead.isDisplayed(), link);
                assertTrue(dead.getText().startsWith("This invitation link can no longer be used: it was used up, has expired, or was"
                        + " withdrawn."), dead.getText());
                assertEquals("alert", dead.findElement(By.cssSelector(".alert")).getDomAttribute("role"));
                assertFalse(invitee.find(By.id("register-form")).isDisplayed(), "no form to fill in for nothing");
                assertFalse(invitee.driver.getPageSource().contains("secret plans"), "the name stays the admin's");
                checkPage(invitee, "main");
            }
            invitee.checkPageInBothSchemes("register-dead-link-" + size.name().toLowerCase());
            invitee.screenshotLightAndDark("register-dead-link-" + size.name().toLowerCase());

            var live = invite(latch, token, "{\"role\":\"editor\",\"name\":\"secret plans\"}");
            open(invitee, live.get("url").asText());
            assertEquals("You have been invited to Latch as an editor. Choose a username and a password.", invitee.text("lead"));
            assertTrue(invitee.find(By.id("register-form")).isDisplayed());
            assertFalse(invitee.find(By.id("invite-dead")).isDisplayed());
            assertFalse(invitee.driver.getPageSource().contains("secret plans"));
            invitee.type("username", "ed");
            invitee.type("password", "ed's long passphrase");
            invitee.type("password-confirm", "ed's long passphrase");
            invitee.click("submit");
            invitee.waitForPage(base + "/");
        });
    }

    // -----------------------------------------------------------------------------------------------------------
    // Forms

    @ParameterizedTest
    @EnumSource(Size.class)
    void theSetupPageCountsThePasswordAgainstTheServersRuleAndACorrectedFieldStopsLookingWrong(Size size) {
        TestLatch.run(dataDir, Map.of("LATCH_PASSWORD_MIN_LENGTH", "10"), latch -> {
            use(size);
            String base = latch.http().base();
            open(admin, base + "/setup");
            assertEquals("At least 10 characters.", admin.text("password-length"), "the rule, up front, from the server");
            assertEquals("status", admin.find(By.id("password-length")).getDomAttribute("role"));
            admin.type("password", "abcde");
            assertEquals("5 of at least 10 characters.", admin.text("password-length"));
            admin.find(By.id("password")).sendKeys("fghij");
            assertEquals("10 characters: long enough.", admin.text("password-length"));

            admin.click("submit"); // no setup code, no username
            admin.wait.until(d -> !d.findElement(By.id("error")).getText().isBlank());
            assertEquals("true", admin.find(By.id("setup-code")).getDomAttribute("aria-invalid"));
            admin.find(By.id("setup-code")).sendKeys("W");
            assertNull(admin.find(By.id("setup-code")).getDomAttribute("aria-invalid"), "typing in it clears the mark at once");
            assertEquals("true", admin.find(By.id("username")).getDomAttribute("aria-invalid"), "the other field stays marked");
        });
    }

    @ParameterizedTest
    @EnumSource(Size.class)
    void theCreateUserFormStatesThePasswordRuleCountsItAndClearsACorrectedField(Size size) {
        TestLatch.run(dataDir, Map.of("LATCH_PASSWORD_MIN_LENGTH", "10"), latch -> {
            use(size);
            latch.setupAdmin();
            openAdmin(latch, "#users");
            assertEquals("At least 10 characters.", admin.text("new-password-length"));
            assertEquals("new-password-hint", admin.find(By.id("new-password")).getDomAttribute("aria-describedby"));
            assertTrue(admin.text("new-password-hint").startsWith("A long passphrase is best"), admin.text("new-password-hint"));

            admin.type("new-username", "not a name");
            admin.type("new-password", "short");
            assertEquals("5 of at least 10 characters.", admin.text("new-password-length"));
            admin.click("create-user-submit");
            admin.wait.until(d -> !d.findElement(By.id("create-user-error")).getText().isBlank());
            WebElement username = admin.find(By.id("new-username"));
            assertEquals("true", username.getDomAttribute("aria-invalid"));
            assertEquals("new-username", admin.driver.switchTo().activeElement().getDomAttribute("id"));
            username.sendKeys(Keys.BACK_SPACE);
            assertNull(username.getDomAttribute("aria-invalid"), "changing it clears the mark");

            // The server's refusal marks the password the same way, until it is changed.
            admin.type("new-username", "bob");
            admin.click("create-user-submit");
            admin.wait.until(d -> "true".equals(d.findElement(By.id("new-password")).getDomAttribute("aria-invalid")));
            assertTrue(admin.text("create-user-error").contains("at least 10"), admin.text("create-user-error"));
            admin.find(By.id("new-password")).sendKeys(" and longer");
            assertNull(admin.find(By.id("new-password")).getDomAttribute("aria-invalid"));
            assertEquals("16 characters: long enough.", admin.text("new-password-length"));
            checkPage(admin, "#panel-users");
            admin.click("create-user-submit");
            admin.wait.until(ExpectedConditions.presenceOfElementLocated(userRow("bob")));
            admin.wait.until(d -> d.findElement(By.id("new-password-length")).getText().equals("At least 10 characters."));
        });
    }

    @ParameterizedTest
    @EnumSource(Size.class)
    void registerResetAndAccountCountTheNewPasswordAsItIsTyped(Size size) {
        TestLatch.run(dataDir, Map.of("LATCH_PASSWORD_MIN_LENGTH", "12"), latch -> {
            use(size);
            String token = latch.setupAdmin();
            String base = latch.http().base();

            open(invitee, invite(latch, token, "{}").get("url").asText());
            assertEquals("At least 12 characters.", invitee.text("password-length"));
            invitee.type("password", "1234567");
            assertEquals("7 of at least 12 characters.", invitee.text("password-length"));

            long bob = latch.createUser(token, "bob", "bob's long passphrase", "viewer");
            var link = latch.http().post("/api/users/" + bob + "/reset-link", "Authorization", Http.bearer(token));
            assertEquals(201, link.status(), link.toString());
            open(invitee, link.json().get("url").asText(), base + "/reset");
            assertEquals("At least 12 characters.", invitee.text("new-password-length"));
            invitee.type("new-password", "ab😀");
            assertEquals("3 of at least 12 characters.", invitee.text("new-password-length"), "characters, as the server counts them");

            admin.signIn(base, TestLatch.ADMIN, PASSWORD);
            open(admin, base + "/account");
            assertEquals("At least 12 characters.", admin.text("new-password-length"));
            admin.type("new-password", "x".repeat(130));
            assertEquals("130 characters: at most 128.", admin.text("new-password-length"));
            admin.type("current-password", "not my password");
            admin.type("new-password", "a brand new passphrase");
            admin.type("new-password-confirm", "a brand new passphrase");
            admin.click("password-submit");
            admin.wait.until(d -> "true".equals(d.findElement(By.id("current-password")).getDomAttribute("aria-invalid")));
            admin.find(By.id("current-password")).sendKeys("!");
            assertNull(admin.find(By.id("current-password")).getDomAttribute("aria-invalid"));
            checkPage(admin, "#password"); // this form; the sessions table is laid out for phones elsewhere
        });
    }

    // -----------------------------------------------------------------------------------------------------------
    // Deep links

    @ParameterizedTest
    @EnumSource(Size.class)
    void theTabsFollowTheAddressBackForwardAndAnEditedFragment(Size size) {
        TestLatch.run(dataDir, latch -> {
            use(size);
            latch.setupAdmin();
            String base = openAdmin(latch, "#invites");
            assertShowing("invites");

            admin.click("tab-users");
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#users"));
            assertShowing("users");
            admin.click("tab-audit");
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#audit"));
            assertShowing("audit");

            admin.driver.navigate().back();
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#users"));
            assertShowing("users");
            admin.driver.navigate().back();
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#invites"));
            assertShowing("invites");
            admin.driver.navigate().forward();
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#users"));
            assertShowing("users");

            admin.driver.executeScript("window.location.hash = 'netplay'");
            assertShowing("netplay");
            admin.driver.executeScript("window.location.hash = 'no-such-tab'");
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#overview"));
            assertShowing("overview");

            // Walking along the tabs with the arrow keys leaves one entry, not one per tab passed.
            admin.click("tab-users");
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#users"));
            admin.find(By.id("tab-users")).sendKeys(Keys.ARROW_RIGHT);
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#invites"));
            admin.driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#audit"));
            assertShowing("audit");
            admin.driver.navigate().back();
            admin.wait.until(d -> d.getCurrentUrl().equals(base + "/admin#overview"));
            assertShowing("overview");
            checkPage(admin, "#tabs");
        });
    }

    // -----------------------------------------------------------------------------------------------------------

    /** Signs the admin in and opens the admin page at {@code fragment}; returns the base address. */
    private static String openAdmin(TestLatch latch, String fragment) {
        String base = latch.http().base();
        admin.signIn(base, TestLatch.ADMIN, PASSWORD);
        open(admin, base + "/admin" + fragment);
        return base;
    }

    /** Opens {@code url} afresh (a fragment-only change would not reload the page) and waits for it to be ready. */
    private static void open(Browser browser, String url) {
        open(browser, url, url);
    }

    /** Opens {@code url} and waits for the page to be ready at {@code settled} (a page may tidy its own address). */
    private static void open(Browser browser, String url, String settled) {
        browser.driver.get("about:blank");
        browser.driver.get(url);
        browser.waitForPage(settled);
        assertEquals(size.width, ((Number) browser.driver.executeScript("return window.innerWidth")).intValue(),
                "the page is laid out at the test's size");
    }

    private static void named(TestLatch latch, String token, long id, String displayName) {
        var res = latch.http().patchJson("/api/users/" + id, "{\"display_name\":\"" + displayName + "\"}", "Authorization", Http.bearer(token));
        assertEquals(200, res.status(), res.toString());
    }

    private static JsonNode invite(TestLatch latch, String token, String body) {
        var res = latch.http().postJson("/api/invites", body, "Authorization", Http.bearer(token));
        assertEquals(201, res.status(), res.toString());
        return res.json();
    }

    private static By userRow(String username) {
        return By.cssSelector("#users-list li[data-username='" + username + "']");
    }

    private static Select roleSelect(By row) {
        return new Select(admin.find(row).findElement(By.cssSelector("select[data-action='role']")));
    }

    private static String selectedRole(By row) {
        return roleSelect(row).getFirstSelectedOption().getDomProperty("value");
    }

    private static WebElement row(String state) {
        return admin.find(By.cssSelector("#invites-body tr[data-state='" + state + "']"));
    }

    private static String cell(WebElement row, String label) {
        return row.findElement(By.cssSelector("td[data-label='" + label + "']")).getText();
    }

    private static void assertShowing(String tab) {
        admin.wait.until(d -> "true".equals(d.findElement(By.id("tab-" + tab)).getDomAttribute("aria-selected"))
                && d.findElement(By.id("panel-" + tab)).isDisplayed());
        assertEquals(1, admin.driver.findElements(By.cssSelector(".panel:not([hidden])")).size(), "one panel at a time");
    }

    /** The user of the admin API as it is now. */
    private static JsonNode onServer(TestLatch latch, String token, String username) {
        var users = latch.http().get("/api/users?q=" + username, "Authorization", Http.bearer(token)).json().get("users");
        for (JsonNode u : users) {
            if (u.get("username").asText().equals(username)) {
                return u;
            }
        }
        return null;
    }

    /** {@link Browser#checkPage} at the size the test set, naming the part of the page the test looks at. */
    private static void checkPage(Browser browser, String part) {
        browser.checkPage(size.name().toLowerCase() + ", " + part);
    }
}
