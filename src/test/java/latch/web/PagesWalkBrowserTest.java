package latch.web;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every page, walked in headless Debian Chromium as an admin setting Latch up and a person they invite, on a desktop
 * window and on a 390 x 844 phone, each page checked in the light and the dark colour scheme with
 * {@link Browser#checkPage} (nothing wider than its box, no serious accessibility finding, no console error, no
 * failed request); and the keyboard: actions reached with Tab and pressed with Enter, and focus following the result.
 */
class PagesWalkBrowserTest {
    private static final String PASSWORD = TestLatch.ADMIN_PASSWORD;
    private static final String INVITEE = "robin";
    private static final String INVITEE_PASSWORD = "robin's long passphrase";
    private static final String SFU_SECRET = "sfu-internal-secret-for-the-pages-walk-0123456789";
    /** More presses than any page has stops before its last action: a walk that gets there has not looped. */
    private static final int MAX_TABS = 80;

    @TempDir
    static Path desktopProfile;
    @TempDir
    static Path phoneProfile;
    @TempDir
    Path dataDir;

    private static Browser desktop;
    private static Browser phone;

    @BeforeAll
    static void startBrowsers() {
        desktop = new Browser(desktopProfile, 1100, 1000);
        phone = Browser.phone(phoneProfile);
    }

    @AfterAll
    static void stopBrowsers() {
        Browser.quit(desktop, phone);
    }

    @AfterEach
    void forgetTheTest() {
        Browser.forgetTheTest(desktop, phone);
    }

    @Test
    void everyPageFitsADesktopWindowAndPassesTheChecksInBothSchemes() {
        walkEveryPage(desktop);
    }

    @Test
    void everyPageFitsAPhoneAndPassesTheChecksInBothSchemes() {
        walkEveryPage(phone);
    }

    /** First run, administration, an invitation, registering, the account, pairing, and the ways back in. */
    private void walkEveryPage(Browser b) {
        TestLatch.run(dataDir, Map.of("ROMM_SFU_INTERNAL_SECRET", SFU_SECRET), latch -> {
            String base = latch.http().base();
            b.driver.get(base + "/");
            b.waitForPage(base + "/setup");
            check(b, "setup");
            b.type("setup-code", TestLatch.SETUP_CODE);
            b.type("username", TestLatch.ADMIN);
            b.type("password", PASSWORD);
            b.type("password-confirm", PASSWORD + "!");
            b.click("submit");
            b.waitForError();
            check(b, "setup, refused");
            b.type("password-confirm", PASSWORD);
            b.click("submit");
            b.waitForPage(base + "/");
            check(b, "home, admin");

            // Something in every list: a live room, an alert-free overview, an invitation, audit events.
            String adminSession = latch.token(TestLatch.ADMIN, PASSWORD);
            var room = latch.http().postJson("/api/sfu/internal/rooms/upsert",
                    "{\"room_name\":\"Friday Mario Kart\",\"current\":2,\"max\":4,\"hasPassword\":true,"
                            + "\"nodeId\":\"n1\",\"url\":\"http://sfu.local:3001\"}", "x-romm-sfu-secret", SFU_SECRET);
            assertEquals(200, room.status(), room.toString());
            String invitation = null;
            for (String tab : new String[] {"overview", "users", "invites", "audit", "netplay", "apps"}) {
                b.driver.get(base + "/admin#" + tab);
                b.driver.navigate().refresh(); // a fragment-only change does not reload the page
                b.waitForPage(base + "/admin#" + tab);
                if (tab.equals("invites")) {
                    b.click("invite-submit");
                    b.wait.until(d -> !d.findElement(By.id("invite-url")).getDomProperty("value").isEmpty());
                    b.wait.until(d -> d.findElements(By.cssSelector("#invites-body tr")).size() == 1);
                    invitation = b.find(By.id("invite-url")).getDomProperty("value");
                }
                if (tab.equals("users")) {
                    b.find(By.cssSelector("#users-list li[data-username='admin'] button[data-action='sessions']")).click();
                    b.wait.until(d -> !d.findElements(By.cssSelector("#users-list li[data-username='admin'] tbody tr")).isEmpty());
                }
                if (tab.equals("netplay")) {
                    b.wait.until(d -> d.findElements(By.cssSelector("#keys-body tr")).size() == 1);
                    b.wait.until(d -> d.findElements(By.cssSelector("#rooms-body tr")).size() == 1);
                }
                if (tab.equals("audit")) {
                    b.wait.until(d -> !d.findElements(By.cssSelector("#audit-body tr")).isEmpty());
                }
                check(b, "admin, " + tab);
                narrowWindow(b, "admin, " + tab);
            }
            b.click("sign-out");
            b.waitForPage(base + "/login?signed_out=1");
            check(b, "login, signed out");

            // The person invited registers, and sees their own pages with something in every list.
            b.driver.get(invitation);
            b.waitForPage(invitation);
            check(b, "register");
            b.type("username", INVITEE);
            b.type("password", INVITEE_PASSWORD);
            b.type("password-confirm", INVITEE_PASSWORD);
            b.click("submit");
            b.waitForPage(base + "/");
            check(b, "home");
            String elsewhere = latch.token(INVITEE, INVITEE_PASSWORD);
            var token = latch.http().postJson("/api/client-tokens",
                    "{\"name\":\"Living-room handheld with a long name\",\"scopes\":[\"me.read\"],\"networks\":[\"192.168.1.0/24\"]}",
                    "Authorization", Http.bearer(elsewhere));
            assertEquals(201, token.status(), token.toString());
            b.driver.get(base + "/account");
            b.waitForPage(base + "/account");
            b.wait.until(d -> d.findElements(By.cssSelector("#sessions-body tr")).size() == 2);
            check(b, "account");
            narrowWindow(b, "account");

            var device = latch.http().postJson("/api/auth/device/init",
                    "{\"client_name\":\"Test handheld\",\"scopes\":[\"me.read\",\"roms.read\"]}");
            assertEquals(200, device.status(), device.toString());
            b.driver.get(base + "/pair");
            b.waitForPage(base + "/pair");
            check(b, "pair, code");
            b.driver.get(device.json().get("verification_uri_complete").asText());
            b.waitForPage(device.json().get("verification_uri_complete").asText());
            b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-request")));
            check(b, "pair, request");
            b.click("approve");
            b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-done")));
            check(b, "pair, approved");

            // The ways back in, signed out.
            b.click("pair-links-tokens");
            b.waitForPage(base + "/account#tokens");
            b.click("sign-out");
            b.waitForPage(base + "/login?signed_out=1");
            b.type("username", INVITEE);
            b.type("password", "not " + INVITEE_PASSWORD);
            b.click("submit");
            b.waitForError();
            check(b, "login, refused");
            b.driver.get(base + "/forgot");
            b.waitForPage(base + "/forgot");
            check(b, "forgot");
            long robin = latch.http().get("/api/users?q=" + INVITEE, "Authorization", Http.bearer(adminSession))
                    .json().at("/users/0/id").asLong();
            var reset = latch.http().postJson("/api/users/" + robin + "/reset-link", "{}", "Authorization", Http.bearer(adminSession));
            assertEquals(201, reset.status(), reset.toString());
            b.driver.get(reset.json().get("url").asText());
            b.waitForPage(base + "/reset");
            check(b, "reset");
            b.driver.get("about:blank");
            b.driver.get(base + "/reset");
            b.waitForPage(base + "/reset");
            check(b, "reset, without a link");
        });
    }

    @Test
    void onAPhoneAnotherDevicesSignOutIsReachedWithTabAndPressedWithEnter() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            latch.token(TestLatch.ADMIN, PASSWORD); // another device's session
            String base = latch.http().base();
            phone.signIn(base, TestLatch.ADMIN, PASSWORD);
            // From the home page to the account page by keyboard alone.
            WebElement account = tabTo(phone, e -> "account-link".equals(e.getDomAttribute("id")));
            account.sendKeys(Keys.ENTER);
            phone.waitForPage(base + "/account");
            By sessions = By.cssSelector("#sessions-body tr");
            phone.wait.until(d -> d.findElements(sessions).size() == 3); // setup's, the other device's and this one

            WebElement signOut = tabTo(phone, e -> "end-session".equals(e.getDomAttribute("data-action")));
            assertInsideTheWindow(phone, signOut);
            signOut.sendKeys(Keys.ENTER);
            phone.wait.until(d -> d.findElement(By.id("sessions-status")).getText().startsWith("Signed out "));
            phone.wait.until(d -> d.findElements(sessions).size() == 2);
            phone.wait.until(d -> !d.findElements(By.cssSelector("#events-body tr[data-type='session_ended']")).isEmpty());
            assertEquals("logout-others", active(phone).getDomAttribute("id"), "focus goes on from where the row was");
            phone.checkPage("account, after signing a device out");
        });
    }

    @Test
    void theAdminTabsFollowTheArrowKeysAndShowFocusInTheDarkScheme() {
        TestLatch.run(dataDir, latch -> {
            desktop.colourScheme("dark"); // the phone's keyboard test shows focus in the light one
            latch.setupAdmin();
            String base = latch.http().base();
            desktop.signIn(base, TestLatch.ADMIN, PASSWORD);
            desktop.driver.get(base + "/admin");
            desktop.waitForPage(base + "/admin#overview");
            WebElement overview = tabTo(desktop, e -> "tab-overview".equals(e.getDomAttribute("id")));
            overview.sendKeys(Keys.ARROW_RIGHT);
            desktop.wait.until(d -> "tab-users".equals(active(desktop).getDomAttribute("id")));
            assertEquals("true", desktop.find(By.id("tab-users")).getDomAttribute("aria-selected"));
            desktop.waitForPage(base + "/admin#users");
            active(desktop).sendKeys(Keys.END);
            desktop.waitForPage(base + "/admin#apps");
            active(desktop).sendKeys(Keys.ARROW_LEFT);
            desktop.waitForPage(base + "/admin#netplay");
            desktop.wait.until(d -> d.findElements(By.cssSelector("#keys-body tr")).size() == 1);
            active(desktop).sendKeys(Keys.END);
            desktop.waitForPage(base + "/admin#apps");
            active(desktop).sendKeys(Keys.ARROW_RIGHT); // past the last tab, round to the first
            desktop.waitForPage(base + "/admin#overview");
            assertEquals("tab-overview", active(desktop).getDomAttribute("id"));
            desktop.wait.until(d -> !d.findElement(By.id("figure-users")).getText().equals("—"));
            desktop.checkPage("admin, overview, reached by keyboard");
        });
    }

    @Test
    void afterCreatingATokenFocusIsOnItsSecret() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            for (Browser b : new Browser[] {desktop, phone}) {
                b.signIn(base, TestLatch.ADMIN, PASSWORD);
                b.driver.get(base + "/account");
                b.waitForPage(base + "/account");
                b.type("token-name", "Backup script");
                b.click("token-preset-custom");
                b.click("token-scopes-none");
                b.click("token-scope-me-read");
                b.find(By.id("token-name")).sendKeys(Keys.ENTER);
                b.wait.until(d -> !d.findElement(By.id("token-secret")).getDomProperty("value").isEmpty());
                assertEquals("token-secret", active(b).getDomAttribute("id"));
                assertFocusIsVisible(b);
                assertInsideTheWindow(b, active(b));
                b.checkPage("account, a token created");
            }
        });
    }

    @Test
    void afterAFailedSignInFocusIsOnTheError() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            for (Browser b : new Browser[] {desktop, phone}) {
                b.driver.get(base + "/login");
                b.waitForPage(base + "/login");
                b.type("username", TestLatch.ADMIN);
                b.type("password", "not the password");
                b.find(By.id("password")).sendKeys(Keys.ENTER);
                assertEquals("The username or password is wrong.", b.waitForError());
                b.wait.until(d -> "error".equals(active(b).getDomAttribute("id")));
                assertFocusIsVisible(b);
                b.checkPage("login, refused");

                // A form the browser itself refuses (an empty field) puts focus on that field instead.
                b.find(By.id("username")).clear();
                b.click("submit");
                b.wait.until(d -> "username".equals(active(b).getDomAttribute("id")));
            }
        });
    }

    @Test
    void theChecksFailOnWhatTheyAreFor() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            desktop.driver.get(base + "/login");
            desktop.waitForPage(base + "/login");
            desktop.checkPage("login, as it is");

            // Each problem is made in the page through DevTools (which the CSP does not govern), then must be named.
            assertCheckFails("axe critical label", "document.querySelector('#login-form').append(document.createElement('input'))");
            desktop.driver.navigate().refresh();
            desktop.waitForPage(base + "/login");
            assertCheckFails("overflow: div#wide in main.card", """
                    const wide = document.createElement('div');
                    wide.id = 'wide';
                    wide.textContent = 'x'.repeat(400);
                    document.querySelector('main.card').append(wide);""");
            desktop.driver.navigate().refresh();
            desktop.waitForPage(base + "/login");
            assertCheckFails("boom", "console.error('boom')");
            assertCheckFails("request failed: 404 " + base + "/assets/missing.js",
                    "return fetch('/assets/missing.js').then(r => r.status)");
            // A refusal from the API is an answer the page shows: it passes.
            desktop.driver.executeScript("return fetch('/api/auth/me').then(r => r.status)");
            desktop.checkPage("login, after a 401 from the API");
        });
    }

    /** Runs {@code script} in the page, then expects checkPage to fail naming {@code expected}. */
    private static void assertCheckFails(String expected, String script) {
        desktop.driver.executeScript(script);
        var failure = assertThrows(AssertionError.class, () -> desktop.checkPage("made to fail"));
        assertTrue(failure.getMessage().contains(expected), failure.getMessage());
    }

    /** The checks in both colour schemes, and screenshots of both when {@code -Dlatch.ui.screenshots} names a folder. */
    private static void check(Browser b, String what) throws Exception {
        b.checkPageInBothSchemes(what);
        b.screenshotLightAndDark("walk-" + (b == phone ? "phone-" : "desktop-") + what.replaceAll("\\W+", "-"));
    }

    /**
     * On the desktop, the page in a window just wider than the phone layout's limit (56rem, 896 px), where the tables
     * are tables in the least room they get. (900 to 1100 px in 40 px steps found nothing more, at twice the time.)
     */
    private static void narrowWindow(Browser b, String what) {
        if (b == desktop) {
            b.viewport(900, 1000, false);
            b.checkPage(what + ", 900 px wide");
            b.resetViewport();
        }
    }

    /**
     * Presses Tab from the top of the page until {@code target} has focus, checking on the way that every stop shows
     * where focus is; fails if Tab comes round again first.
     */
    private static WebElement tabTo(Browser b, Predicate<WebElement> target) {
        b.driver.executeScript("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        for (int i = 0; i < MAX_TABS; i++) {
            new Actions(b.driver).sendKeys(Keys.TAB).perform();
            WebElement now = active(b);
            if ("body".equals(now.getTagName())) {
                continue;
            }
            assertFocusIsVisible(b);
            if (target.test(now)) {
                return now;
            }
        }
        return fail("Tab never reached the element on " + b.driver.getCurrentUrl());
    }

    private static WebElement active(Browser b) {
        return b.driver.switchTo().activeElement();
    }

    /** The focused element draws an outline (a 2 px line or thicker) in the scheme shown now. */
    private static void assertFocusIsVisible(Browser b) {
        String ring = (String) b.driver.executeScript("""
                const e = document.activeElement;
                const s = getComputedStyle(e);
                return e.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                  ? '' : `${e.tagName.toLowerCase()}#${e.id} "${e.textContent.trim().slice(0, 40)}": focus-visible `
                    + `${e.matches(':focus-visible')}, outline ${s.outlineStyle} ${s.outlineWidth}`;""");
        assertEquals("", ring, "no visible focus");
    }

    /** The element is within the window's width: reachable without scrolling sideways. */
    private static void assertInsideTheWindow(Browser b, WebElement e) {
        var rect = e.getRect();
        long width = (Long) b.driver.executeScript("return document.documentElement.clientWidth");
        assertTrue(rect.getX() >= 0 && rect.getX() + rect.getWidth() <= width,
                e.getText() + " at x " + rect.getX() + "+" + rect.getWidth() + " in a " + width + " px window");
    }
}
