package latch.web;

import com.deque.html.axecore.args.AxeRuleOptions;
import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One person's headless Debian Chromium for the browser tests, with its own profile (and so its own cookies).
 * Start one per class and person (starting Chromium is the slow part); {@link #forgetTheTest} after each test.
 * {@link #checkPage} after a page is ready holds it to what every page must meet (no sideways overflow, no serious
 * accessibility finding, no console error, no failed request); {@link #forgetTheTest} checks the last two again.
 * Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
final class Browser {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Refused API calls are the expected answers the pages show; any other console error is a bug or a CSP hit. */
    private static final Pattern EXPECTED_CONSOLE_ERROR =
            Pattern.compile("^\\S+/api/\\S* - Failed to load resource: the server responded with a status of 4\\d\\d\\b.*");
    /** The phone every page is checked at: 390 x 844 CSS pixels, a common handset. */
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;
    /** axe's impacts that fail a page; "minor" and "moderate" findings are left to judgement. */
    private static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");
    private static final ObjectMapper JSON = new ObjectMapper();

    final ChromeDriver driver;
    final WebDriverWait wait;
    /** The colour scheme emulated now ("light", "dark"), or null for the browser's own. */
    private String scheme;
    /** Request id to URL and the address of the page that sent it, from the DevTools network log. */
    private final Map<String, String[]> requests = new HashMap<>();

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
        // The DevTools network events, kept across navigations (unlike the page's own resource timing), for failed requests.
        logging.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class); // the page may be replaced while a wait looks at it
        emulateMedia();
    }

    /** A browser the size of a phone ({@link #PHONE_WIDTH} x {@link #PHONE_HEIGHT}, touch, the page's viewport tag obeyed). */
    static Browser phone(Path profile) {
        var browser = new Browser(profile, PHONE_WIDTH, PHONE_HEIGHT);
        browser.viewport(PHONE_WIDTH, PHONE_HEIGHT, true);
        return browser;
    }

    /** Lays pages out at {@code width} x {@code height} CSS pixels from now on, as a phone when {@code mobile}. */
    void viewport(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        // A page without a viewport tag (about:blank) is laid out 980 px wide on a phone, as phones do.
        wait.until(d -> ((Number) driver.executeScript(
                "return document.querySelector('meta[name=viewport]') ? innerWidth : arguments[0]", width)).intValue() == width);
    }

    /** Lays pages out in the window's own size again. */
    void resetViewport() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** Shows pages in the {@code "light"} or {@code "dark"} colour scheme from now on; null for the browser's own. */
    void colourScheme(String scheme) {
        this.scheme = scheme;
        emulateMedia();
    }

    /** Reduced motion always, so colours are read after, never during, a transition; and the chosen scheme. */
    private void emulateMedia() {
        var features = new ArrayList<Map<String, String>>();
        features.add(Map.of("name", "prefers-reduced-motion", "value", "reduce"));
        if (scheme != null) {
            features.add(Map.of("name", "prefers-color-scheme", "value", scheme));
        }
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", features));
    }

    /**
     * Fails, naming {@code what} and every problem, unless the page as it stands now: fits its window (neither the
     * document nor anything inside a card or a dialog is wider than its box), has no accessibility finding of serious or critical
     * impact (axe-core's WCAG 2.x A and AA rules and best practices, and its experimental WCAG 2.5.3 rule), logged no
     * console error and had no same-origin request fail since the last check. Call it once the page is ready and after
     * each change worth a look.
     */
    void checkPage(String what) {
        List<String> problems = new ArrayList<>();
        problems.addAll(overflow());
        problems.addAll(accessibilityFindings());
        problems.addAll(consoleProblems());
        problems.addAll(failedRequests());
        assertTrue(problems.isEmpty(), what + " (" + driver.getCurrentUrl() + ", " + window() + "):\n  "
                + String.join("\n  ", problems));
    }

    /** {@link #checkPage} in the light and then the dark colour scheme; the browser's own scheme afterwards. */
    void checkPageInBothSchemes(String what) {
        try {
            for (String s : List.of("light", "dark")) {
                colourScheme(s);
                checkPage(what + ", " + s);
            }
        } finally {
            colourScheme(null);
        }
    }

    private String window() {
        return driver.executeScript("return innerWidth + 'x' + innerHeight") + (scheme == null ? "" : ", " + scheme);
    }

    /**
     * What is wider than its box: the document in the window, or any element inside a card or an open dialog (form
     * fields scroll by design).
     */
    private List<String> overflow() {
        @SuppressWarnings("unchecked")
        var found = (List<String>) driver.executeScript("""
                const out = [];
                const page = document.documentElement;
                if (page.scrollWidth > page.clientWidth + 1) {
                  out.push(`the page is ${page.scrollWidth} px wide in a ${page.clientWidth} px window`);
                }
                const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                  + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
                // Clipped on purpose: visually hidden text (the phone tables' header row, per-row labels).
                const clipped = (e) => {
                  for (let n = e; n; n = n.parentElement) {
                    if (getComputedStyle(n).clipPath !== 'none') return true;
                  }
                  return false;
                };
                for (const card of document.querySelectorAll('.card, dialog[open]')) {
                  for (const e of [card, ...card.querySelectorAll('*')]) {
                    // Inside a drawing, boxes are the drawing's own (its viewBox scales them); the <svg> itself is checked.
                    const drawn = e instanceof SVGElement && e.ownerSVGElement;
                    if (e.scrollWidth > e.clientWidth + 1 && !e.matches('input, select, textarea') && !drawn && !clipped(e)) {
                      const label = e.getAttribute('data-label') ? ` (${e.getAttribute('data-label')})` : '';
                      out.push(`${name(e)}${label} in ${name(card)}: ${e.scrollWidth} px of content in ${e.clientWidth} px`
                        + `: "${e.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60)}"`);
                    }
                  }
                }
                return out.slice(0, 12);""");
        return found.stream().map(f -> "overflow: " + f).toList();
    }

    /** axe-core's findings of serious or critical impact, each with its rule, the elements and where the rule is explained. */
    private List<String> accessibilityFindings() {
        // WCAG 2.5.3 (a control's name contains the words it shows) is still "experimental" in axe, so off unless asked for.
        var options = new AxeRunOptions();
        var on = new AxeRuleOptions();
        on.setEnabled(true);
        options.setRules(Map.of("label-content-name-mismatch", on));
        // Legacy mode runs axe in the page itself; the default opens a second tab to merge frames, and the pages have none.
        var results = new AxeBuilder().withOptions(options).setLegacyMode(true).analyze(driver);
        if (results.isErrored()) {
            return List.of("axe-core did not run: " + results.getErrorMessage());
        }
        var out = new ArrayList<String>();
        for (Rule rule : results.getViolations()) {
            if (!FAILING_IMPACTS.contains(rule.getImpact())) {
                continue;
            }
            var where = rule.getNodes().stream().limit(5)
                    .map(n -> n.getTarget() + " (" + String.valueOf(n.getFailureSummary()).replaceAll("\\s+", " ") + ")")
                    .toList();
            out.add("axe " + rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + ", " + rule.getHelpUrl()
                    + "\n    at " + String.join("\n    at ", where));
        }
        return out;
    }

    /**
     * Same-origin requests that failed since the last look: answered 4xx or 5xx, or never answered (refused, blocked
     * by the CSP). A 4xx from {@code /api/} is an answer the page expects and shows (401 before sign-in, a refusal),
     * the same rule the console check follows; a request the browser cancelled itself (a page left) is not a failure.
     */
    private List<String> failedRequests() {
        var out = new ArrayList<String>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            JsonNode message;
            try {
                message = JSON.readTree(entry.getMessage()).path("message");
            } catch (IOException e) {
                out.add("unreadable network log entry: " + entry.getMessage());
                continue;
            }
            JsonNode params = message.path("params");
            String id = params.path("requestId").asText();
            switch (message.path("method").asText()) {
                case "Network.requestWillBeSent" ->
                        requests.put(id, new String[] {params.path("request").path("url").asText(), params.path("documentURL").asText()});
                case "Network.responseReceived" -> {
                    int status = params.path("response").path("status").asInt();
                    String url = params.path("response").path("url").asText();
                    String[] sent = requests.getOrDefault(id, new String[] {url, url});
                    boolean expected = status < 400 || (status < 500 && URI.create(url).getPath().startsWith("/api/"));
                    if (!expected && sameOrigin(url, sent[1])) {
                        out.add("request failed: " + status + " " + url);
                    }
                }
                case "Network.loadingFailed" -> {
                    String[] sent = requests.get(id);
                    if (sent != null && !params.path("canceled").asBoolean() && sameOrigin(sent[0], sent[1])) {
                        out.add("request failed: " + sent[0] + " " + params.path("errorText").asText()
                                + (params.has("blockedReason") ? " (blocked: " + params.path("blockedReason").asText() + ")" : ""));
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    /** True when {@code url} is an http(s) address on the same origin as the page that asked for it. */
    private static boolean sameOrigin(String url, String page) {
        try {
            URI a = URI.create(url);
            URI b = URI.create(page);
            return a.getScheme() != null && a.getScheme().startsWith("http") && a.getScheme().equals(b.getScheme())
                    && String.valueOf(a.getHost()).equals(b.getHost()) && a.getPort() == b.getPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
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
                problems.addAll(b.failedRequests());
            } finally {
                b.requests.clear();
                b.colourScheme(null); // a test that failed halfway through a dark check leaves no dark page behind
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
        String before = scheme;
        try {
            for (String s : List.of("light", "dark")) {
                colourScheme(s); // with reduced motion emulated, no colour transition is caught halfway
                capture(Path.of(folder, "ui-" + name + "-" + s + ".png"));
            }
        } finally {
            colourScheme(before);
        }
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
}
