package latch.web;

import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The browser UI driven end to end in headless Debian Chromium against a real Latch: setup, sign-in, sign-out.
 * Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
class BrowserFlowTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PASSWORD = TestLatch.ADMIN_PASSWORD;
    /** Refused API calls are the expected answers the pages show; any other console error is a bug or a CSP hit. */
    private static final Pattern EXPECTED_CONSOLE_ERROR =
            Pattern.compile("^\\S+/api/\\S* - Failed to load resource: the server responded with a status of 4\\d\\d\\b.*");

    @TempDir
    static Path profileDir;
    @TempDir
    Path dataDir;

    // One browser for the class (starting Chromium is the slow part); each test gets its own Latch and no cookies.
    private static ChromeDriver driver;
    private static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() {
        // Fail, never skip: a skipped browser test would hide an untested UI.
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing at " + CHROMIUM + "; install Debian's 'chromium' package to run the browser tests.");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            fail("chromedriver is missing at " + CHROMEDRIVER + "; install Debian's 'chromium-driver' package to run the browser tests.");
        }
        // Both paths given, so Selenium Manager never tries to download a browser or driver.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1000,900", "--user-data-dir=" + profileDir);
        var logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class); // the page may be replaced while a wait looks at it
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @AfterEach
    void forgetTheTest() {
        if (driver == null) {
            return;
        }
        try {
            // Checked after every test, so no page can load with a CSP violation or a script error unnoticed.
            assertCleanConsole();
        } finally {
            // Cookies are per host, not per port: without this a session would leak into the next test's Latch.
            driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
            driver.get("about:blank");
        }
    }

    @Test
    void theSetupPageClaimsTheInstanceAndLandsOnTheSignedInPage() {
        TestLatch.run(dataDir, latch -> {
            String base = latch.http().base();
            driver.get(base + "/");
            waitForPage(base + "/setup");
            screenshot("setup");

            type("setup-code", TestLatch.SETUP_CODE.toLowerCase());
            type("username", "alice");
            type("password", PASSWORD);
            type("password-confirm", PASSWORD);
            click("submit");

            waitForPage(base + "/");
            assertEquals("alice", text("who-username"));
            assertEquals("Signed in as alice (admin)", text("who"));
            screenshot("index");

            Cookie cookie = driver.manage().getCookieNamed("latch_token");
            assertNotNull(cookie, "setup signs the browser in with the session cookie");
            assertTrue(cookie.isHttpOnly(), "scripts must not be able to read the session cookie");
            assertEquals(0L, driver.executeScript("return localStorage.length + sessionStorage.length"),
                    "no token is kept in web storage");
            assertEquals("false", latch.http().get("/api/setup/status").json().get("setup_required").asText());
        });
    }

    @Test
    void aWrongSetupCodeShowsTheServersMessageAndClaimsNothing() {
        TestLatch.run(dataDir, latch -> {
            String base = latch.http().base();
            driver.get(base + "/setup");
            waitForPage(base + "/setup");

            type("setup-code", "BCDF-GHJK-LMNP");
            type("username", "mallory");
            type("password", PASSWORD);
            type("password-confirm", PASSWORD);
            click("submit");

            String message = waitForError();
            assertTrue(message.startsWith("The setup code is wrong."), message);
            assertEquals("setup-code", driver.switchTo().activeElement().getAttribute("id"), "focus returns to the field to fix");
            assertEquals(base + "/setup", driver.getCurrentUrl());
            assertEquals("true", latch.http().get("/api/setup/status").json().get("setup_required").asText());
        });
    }

    @Test
    void theSetupPageCatchesMistakesBeforeAnythingIsSent() {
        TestLatch.run(dataDir, latch -> {
            String base = latch.http().base();
            driver.get(base + "/setup");
            waitForPage(base + "/setup");

            type("setup-code", TestLatch.SETUP_CODE);
            type("username", "-alice");
            type("password", PASSWORD);
            type("password-confirm", PASSWORD);
            click("submit");
            String message = waitForError();
            assertTrue(message.startsWith("Admin username: ") && message.endsWith("starting with a letter or digit."), message);
            assertEquals("username", driver.switchTo().activeElement().getAttribute("id"));
            assertEquals("true", driver.findElement(By.id("username")).getDomAttribute("aria-invalid"));

            type("username", "alice");
            type("password-confirm", PASSWORD + "!");
            click("submit");
            wait.until(d -> text("error").equals("The two passwords do not match."));
            assertEquals("password-confirm", driver.switchTo().activeElement().getAttribute("id"));

            assertEquals("true", latch.http().get("/api/setup/status").json().get("setup_required").asText());
        });
    }

    @Test
    void eachPageSendsTheVisitorToTheStepTheInstanceIsAt() {
        TestLatch.run(dataDir, latch -> {
            String base = latch.http().base();
            driver.get(base + "/login");
            waitForPage(base + "/setup");

            latch.setupAdmin();
            driver.get(base + "/setup");
            waitForPage(base + "/login");
            driver.get(base + "/");
            waitForPage(base + "/login");
            screenshot("login");
        });
    }

    @Test
    void signingInWithAWrongPasswordShowsTheError() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            driver.get(base + "/login");
            waitForPage(base + "/login");

            type("username", TestLatch.ADMIN);
            type("password", "not the password");
            click("submit");

            assertEquals("The username or password is wrong.", waitForError());
            screenshot("login-error");
            assertEquals(base + "/login", driver.getCurrentUrl());
            assertNull(driver.manage().getCookieNamed("latch_token"));
        });
    }

    @Test
    void signingInWithTheRightPasswordShowsTheSignedInPage() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            signIn(base, "/login");

            assertEquals("Signed in as admin (admin)", text("who"));
        });
    }

    @Test
    void signingOutReturnsToTheLoginPageAndHomeThenRedirectsThere() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            signIn(base, "/login");

            click("logout");
            waitForPage(base + "/login");
            assertNull(driver.manage().getCookieNamed("latch_token"), "sign-out clears the session cookie");

            driver.get(base + "/");
            waitForPage(base + "/login");
        });
    }

    @Test
    void signingInFollowsOnlyReturnPathsOnThisSite() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            for (String hostile : List.of("%2F%2Fevil.example%2F", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example%2F",
                    "%2F%09%2Fevil.example", "javascript%3Aalert(1)")) {
                signIn(base, "/login?rd=" + hostile);
                assertEquals(base + "/", driver.getCurrentUrl(), hostile);
            }
            signIn(base, "/login?rd=%2F%3Ffrom%3Dlink");
            assertEquals(base + "/?from=link", driver.getCurrentUrl());
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
            driver.get(base + "/login?rd=" + URLEncoder.encode(app, StandardCharsets.UTF_8));
            waitForPage(base + "/login?rd=" + URLEncoder.encode(app, StandardCharsets.UTF_8));
            type("username", TestLatch.ADMIN);
            type("password", PASSWORD);
            click("submit");
            String appOrigin = base.replace("localhost", "127.0.0.1") + "/";
            wait.withMessage(() -> "expected to land on the app at " + appOrigin + ", browser is at " + driver.getCurrentUrl())
                    .until(d -> d.getCurrentUrl().startsWith(appOrigin));

            driver.manage().deleteAllCookies();
            String elsewhere = "http://evil.example/";
            signIn(base, "/login?rd=" + URLEncoder.encode(elsewhere, StandardCharsets.UTF_8));
            assertEquals(base + "/", driver.getCurrentUrl(), "a host outside the allowed list falls back to /");
        });
    }

    /** Signs in as the admin through the form at {@code loginPath} and waits for the signed-in page. */
    private void signIn(String base, String loginPath) {
        driver.get(base + loginPath);
        waitForPage(base + loginPath);
        type("username", TestLatch.ADMIN);
        type("password", PASSWORD);
        click("submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("who")));
        assertTrue(driver.getCurrentUrl().startsWith(base + "/"), driver.getCurrentUrl());
        assertEquals(TestLatch.ADMIN, text("who-username"));
    }

    /** Waits until the browser is at {@code url} and the page's module has run (it marks the document ready). */
    private void waitForPage(String url) {
        wait.withMessage(() -> "expected " + url + ", browser is at " + driver.getCurrentUrl())
                .until(d -> d.getCurrentUrl().equals(url)
                        && "true".equals(d.findElement(By.tagName("html")).getDomAttribute("data-ready")));
    }

    private String waitForError() {
        wait.until(d -> !d.findElement(By.id("error")).getText().isBlank());
        return text("error");
    }

    private void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private void assertCleanConsole() {
        List<String> problems = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !EXPECTED_CONSOLE_ERROR.matcher(m).matches())
                .toList();
        assertTrue(problems.isEmpty(), "browser console reported: " + problems);
    }

    private void screenshot(String name) throws IOException {
        String folder = System.getProperty("latch.ui.screenshots");
        if (folder != null) {
            Files.write(Path.of(folder, "ui-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        }
    }
}
