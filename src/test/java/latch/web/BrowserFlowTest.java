package latch.web;

import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser UI driven end to end in headless Debian Chromium against a real Latch: setup, sign-in, sign-out.
 * Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
class BrowserFlowTest {
    private static final String PASSWORD = TestLatch.ADMIN_PASSWORD;

    @TempDir
    static Path profileDir;
    @TempDir
    Path dataDir;

    // One browser for the class (starting Chromium is the slow part); each test gets its own Latch and no cookies.
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser(profileDir, 1000, 900);
    }

    @AfterAll
    static void stopBrowser() {
        Browser.quit(browser);
    }

    @AfterEach
    void forgetTheTest() {
        Browser.forgetTheTest(browser);
    }

    @Test
    void theSetupPageClaimsTheInstanceAndLandsOnTheSignedInPage() {
        TestLatch.run(dataDir, latch -> {
            String base = latch.http().base();
            browser.driver.get(base + "/");
            browser.waitForPage(base + "/setup");
            browser.checkPage("setup");
            browser.screenshot("setup");

            browser.type("setup-code", TestLatch.SETUP_CODE.toLowerCase());
            browser.type("username", "alice");
            browser.type("password", PASSWORD);
            browser.type("password-confirm", PASSWORD);
            browser.click("submit");

            browser.waitForPage(base + "/");
            assertEquals("alice", browser.text("who-username"));
            assertEquals("Signed in as alice, an administrator", browser.text("who"));
            browser.checkPage("index");
            browser.screenshot("index");

            Cookie cookie = browser.driver.manage().getCookieNamed("latch_token");
            assertNotNull(cookie, "setup signs the browser in with the session cookie");
            assertTrue(cookie.isHttpOnly(), "scripts must not be able to read the session cookie");
            assertEquals(0L, browser.driver.executeScript("return localStorage.length + sessionStorage.length"),
                    "no token is kept in web storage");
            assertEquals("false", latch.http().get("/api/setup/status").json().get("setup_required").asText());
        });
    }

    @Test
    void aWrongSetupCodeShowsTheServersMessageAndClaimsNothing() {
        TestLatch.run(dataDir, latch -> {
            String base = latch.http().base();
            browser.driver.get(base + "/setup");
            browser.waitForPage(base + "/setup");

            browser.type("setup-code", "BCDF-GHJK-LMNP");
            browser.type("username", "mallory");
            browser.type("password", PASSWORD);
            browser.type("password-confirm", PASSWORD);
            browser.click("submit");

            String message = browser.waitForError();
            assertTrue(message.startsWith("The setup code is wrong."), message);
            assertEquals("setup-code", browser.driver.switchTo().activeElement().getAttribute("id"), "focus returns to the field to fix");
            assertEquals(base + "/setup", browser.driver.getCurrentUrl());
            assertEquals("true", latch.http().get("/api/setup/status").json().get("setup_required").asText());
        });
    }

    @Test
    void theSetupPageCatchesMistakesBeforeAnythingIsSent() {
        TestLatch.run(dataDir, latch -> {
            String base = latch.http().base();
            browser.driver.get(base + "/setup");
            browser.waitForPage(base + "/setup");

            browser.type("setup-code", TestLatch.SETUP_CODE);
            browser.type("username", "-alice");
            browser.type("password", PASSWORD);
            browser.type("password-confirm", PASSWORD);
            browser.click("submit");
            String message = browser.waitForError();
            assertTrue(message.startsWith("Admin username: ") && message.endsWith("starting with a letter or digit."), message);
            assertEquals("username", browser.driver.switchTo().activeElement().getAttribute("id"));
            assertEquals("true", browser.driver.findElement(By.id("username")).getDomAttribute("aria-invalid"));

            browser.type("username", "alice");
            browser.type("password-confirm", PASSWORD + "!");
            browser.click("submit");
            browser.wait.until(d -> browser.text("error").equals("The two passwords do not match."));
            assertEquals("password-confirm", browser.driver.switchTo().activeElement().getAttribute("id"));

            assertEquals("true", latch.http().get("/api/setup/status").json().get("setup_required").asText());
        });
    }

    @Test
    void eachPageSendsTheVisitorToTheStepTheInstanceIsAt() {
        TestLatch.run(dataDir, latch -> {
            String base = latch.http().base();
            browser.driver.get(base + "/login");
            browser.waitForPage(base + "/setup");

            latch.setupAdmin();
            browser.driver.get(base + "/setup");
            browser.waitForPage(base + "/login");
            browser.driver.get(base + "/");
            browser.waitForPage(base + "/login");
            browser.checkPage("login");
            browser.screenshot("login");
        });
    }

    @Test
    void signingInWithAWrongPasswordShowsTheError() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            browser.driver.get(base + "/login");
            browser.waitForPage(base + "/login");

            browser.type("username", TestLatch.ADMIN);
            browser.type("password", "not the password");
            browser.click("submit");

            assertEquals("The username or password is wrong.", browser.waitForError());
            browser.checkPage("login-error");
            browser.screenshot("login-error");
            assertEquals(base + "/login", browser.driver.getCurrentUrl());
            assertNull(browser.driver.manage().getCookieNamed("latch_token"));
        });
    }

    @Test
    void signingInWithTheRightPasswordShowsTheSignedInPage() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            browser.signIn(base, TestLatch.ADMIN, PASSWORD);

            assertEquals("Signed in as admin, an administrator", browser.text("who"));
        });
    }

    @Test
    void signingOutReturnsToTheLoginPageAndHomeThenRedirectsThere() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            browser.click("logout");
            browser.waitForPage(base + "/login?signed_out=1");
            assertEquals("You have been signed out.", browser.text("signed-out"));
            assertNull(browser.driver.manage().getCookieNamed("latch_token"), "sign-out clears the session cookie");

            browser.driver.get(base + "/");
            browser.waitForPage(base + "/login");
            assertFalse(browser.driver.findElement(By.id("signed-out")).isDisplayed(), "only right after signing out");

            // The account and admin pages have a way out of their own.
            browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            for (String page : new String[] {"/account", "/admin"}) {
                browser.driver.get(base + page);
                browser.waitForPage(base + page + (page.equals("/admin") ? "#overview" : ""));
                browser.click("sign-out");
                browser.waitForPage(base + "/login?signed_out=1");
                browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            }
        });
    }

    @Test
    void signingInFollowsOnlyReturnPathsOnThisSite() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            for (String hostile : List.of("%2F%2Fevil.example%2F", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example%2F",
                    "%2F%09%2Fevil.example", "javascript%3Aalert(1)")) {
                browser.signInAt(base, "/login?rd=" + hostile, TestLatch.ADMIN, PASSWORD);
                assertEquals(base + "/", browser.driver.getCurrentUrl(), hostile);
            }
            browser.signInAt(base, "/login?rd=%2F%3Ffrom%3Dlink", TestLatch.ADMIN, PASSWORD);
            assertEquals(base + "/?from=link", browser.driver.getCurrentUrl());
        });
    }

    @Test
    void signingInReturnsToAnAppOnAnAllowedHostAndNowhereElse() throws Exception {
        // The rules name the app's host, which allows it as a return address (a forward-auth sign-in's rd).
        Path rules = dataDir.resolveSibling(dataDir.getFileName() + "-rules.yml");
        Files.writeString(rules, "rules:\n  - hosts: 127.0.0.1\n    require: authenticated\n");
        TestLatch.run(dataDir, Map.of("ACCESS_RULES_FILE", rules.toString()), latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            String app = base.replace("localhost", "127.0.0.1") + "/?from=app";
            browser.driver.get(base + "/login?rd=" + URLEncoder.encode(app, StandardCharsets.UTF_8));
            browser.waitForPage(base + "/login?rd=" + URLEncoder.encode(app, StandardCharsets.UTF_8));
            browser.type("username", TestLatch.ADMIN);
            browser.type("password", PASSWORD);
            browser.click("submit");
            String appOrigin = base.replace("localhost", "127.0.0.1") + "/";
            browser.waitForAddressStartingWith(appOrigin);

            browser.driver.manage().deleteAllCookies();
            String elsewhere = "http://evil.example/";
            browser.signInAt(base, "/login?rd=" + URLEncoder.encode(elsewhere, StandardCharsets.UTF_8), TestLatch.ADMIN, PASSWORD);
            assertEquals(base + "/", browser.driver.getCurrentUrl(), "a host outside the allowed list falls back to /");
        });
    }
}
