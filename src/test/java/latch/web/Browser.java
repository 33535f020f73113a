package latch.web;

import org.openqa.selenium.By;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One person's headless Debian Chromium for the browser tests, with its own profile (and so its own cookies).
 * Start one per class and person (starting Chromium is the slow part); {@link #forgetTheTest} after each test.
 * Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
final class Browser {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Refused API calls are the expected answers the pages show; any other console error is a bug or a CSP hit. */
    private static final Pattern EXPECTED_CONSOLE_ERROR =
            Pattern.compile("^\\S+/api/\\S* - Failed to load resource: the server responded with a status of 4\\d\\d\\b.*");

    final ChromeDriver driver;
    final WebDriverWait wait;

    Browser(Path profile, int width, int height) {
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
                "--disable-sync", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        var logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class); // the page may be replaced while a wait looks at it
    }

    /**
     * Checks every browser's console, then clears its cookies and page, and fails if any console reported a problem.
     * Skips a browser that never started, so a failed start is reported once, by the start.
     */
    static void forgetTheTest(Browser... browsers) {
        List<String> problems = new ArrayList<>();
        for (Browser b : browsers) {
            if (b == null) {
                continue;
            }
            try {
                // Checked after every test, so no page can load with a CSP violation or a script error unnoticed.
                problems.addAll(b.consoleProblems());
            } finally {
                // Cookies are per host, not per port: without this a session would leak into the next test's Latch.
                b.driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
                b.driver.get("about:blank");
            }
        }
        assertTrue(problems.isEmpty(), "browser console reported: " + problems);
    }

    /** Quits every browser that started. */
    static void quit(Browser... browsers) {
        for (Browser b : browsers) {
            if (b != null) {
                b.driver.quit();
            }
        }
    }

    /** Signs in through the form at {@code /login} and waits for the home page. */
    void signIn(String base, String username, String password) {
        signInAt(base, "/login", username, password);
        waitForPage(base + "/");
    }

    /** Signs in through the form at {@code loginPath} and waits for a signed-in page, wherever on this site the form sends it. */
    void signInAt(String base, String loginPath, String username, String password) {
        driver.get(base + loginPath);
        waitForPage(base + loginPath);
        type("username", username);
        type("password", password);
        click("submit");
        wait.until(whileNavigating(ExpectedConditions.visibilityOfElementLocated(By.id("who"))));
        assertTrue(driver.getCurrentUrl().startsWith(base + "/"), driver.getCurrentUrl());
        assertEquals(username, text("who-username"));
    }

    /** Waits until the browser is at {@code url} and the page's module has run (it marks the document ready). */
    /** Waits until the address starts with {@code prefix}: for a page that is not Latch's and never marks itself ready. */
    void waitForAddressStartingWith(String prefix) {
        new WebDriverWait(driver, WAIT, Duration.ofMillis(50))
                .withMessage(() -> "expected an address starting with " + prefix + ", browser is at " + driver.getCurrentUrl())
                .until(d -> d.getCurrentUrl().startsWith(prefix));
    }

    void waitForPage(String url) {
        // A wait of its own: withMessage changes the wait it is called on, and would mislabel later timeouts.
        new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "expected " + url + ", browser is at " + driver.getCurrentUrl())
                .until(whileNavigating(d -> d.getCurrentUrl().equals(url)
                        && "true".equals(d.findElement(By.tagName("html")).getDomAttribute("data-ready"))));
    }

    /**
     * {@code condition}, read as "not yet" while the page is being replaced: Chrome aborts a command that runs into
     * a navigation ("aborted by navigation"), which a wait for the next page can always run into.
     */
    static <T> java.util.function.Function<org.openqa.selenium.WebDriver, T> whileNavigating(
            java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return d -> {
            try {
                return condition.apply(d);
            } catch (org.openqa.selenium.WebDriverException e) {
                if (e.getMessage() != null && e.getMessage().contains("aborted by navigation")) {
                    return null;
                }
                throw e;
            }
        };
    }

    /** Waits for the page's error message (the element with id {@code error}) and returns it. */
    String waitForError() {
        wait.until(d -> !d.findElement(By.id("error")).getText().isBlank());
        return text("error");
    }

    /** Waits for the page's question before an action (the modal dialog {@code #confirm}) to be open and worded. */
    void waitForQuestion() {
        wait.until(d -> d.findElement(By.id("confirm")).getDomAttribute("open") != null
                && !d.findElement(By.id("confirm-question")).getText().isBlank());
    }

    /** Answers the open question with its button valued {@code value} ({@code confirm} or {@code cancel}) and waits for it to close. */
    void answer(String value) {
        waitForQuestion();
        find(By.cssSelector("#confirm button[value='" + value + "']")).click();
        wait.until(d -> d.findElement(By.id("confirm")).getDomAttribute("open") == null);
    }

    WebElement find(By by) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(by));
    }

    void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** Saves the page as {@code ui-<name>.png}. */
    void screenshot(String name) throws IOException {
        String folder = System.getProperty("latch.ui.screenshots");
        if (folder != null) {
            capture(Path.of(folder, "ui-" + name + ".png"));
        }
    }

    /** Saves the page in the light and the dark colour scheme, as {@code ui-<name>-light.png} and {@code ui-<name>-dark.png}. */
    void screenshotLightAndDark(String name) throws IOException {
        String folder = System.getProperty("latch.ui.screenshots");
        if (folder == null) {
            return;
        }
        for (String scheme : List.of("light", "dark")) {
            driver.executeCdpCommand("Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
            sleep(Duration.ofMillis(300)); // the fields' colour transitions finish first
            capture(Path.of(folder, "ui-" + name + "-" + scheme + ".png"));
        }
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    private List<String> consoleProblems() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !EXPECTED_CONSOLE_ERROR.matcher(m).matches())
                .toList();
    }

    private void capture(Path file) throws IOException {
        // The whole page, not just the window: some pages are longer than one screen.
        var shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
