package latch.web;

import com.fasterxml.jackson.databind.JsonNode;
import latch.access.ScopeCatalog;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API tokens on the account page and device pairing on /pair, driven in headless Debian Chromium against a real
 * Latch, with the device's side played by a plain HTTP client; scopes in words on both, on a desktop window and on a
 * 390×844 phone. Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
class TokensBrowserTest {
    private static final String PASSWORD = TestLatch.ADMIN_PASSWORD;
    private static final String ALEX_PASSWORD = "alex's long password";
    private static final String EXTRA_SCOPE = "homeassistant.control";
    private static final int DESKTOP = 1100;
    private static final int PHONE = 390;
    private static final Pattern PAIRING_CODE = Pattern.compile("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");

    @TempDir
    static Path profile;
    @TempDir
    Path dataDir;

    // One browser for the whole class (starting Chromium is the slow part); no cookies survive a test.
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser(profile, 1100, 1000);
    }

    @AfterAll
    static void stopBrowser() {
        Browser.quit(browser);
    }

    @AfterEach
    void forgetTheTest() {
        try {
            Browser.forgetTheTest(browser);
        } finally {
            use(DESKTOP);
        }
    }

    @Test
    void aTokenMadeOnTheAccountPageWorksForAnHttpClientUntilItIsRevoked() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            browser.driver.get(base + "/account");
            browser.waitForPage(base + "/account");
            assertEquals(base + "/pair", browser.find(By.id("pair-link")).getDomProperty("href"));

            browser.type("token-name", "Backup script");
            browser.click("token-preset-custom");
            browser.click("token-scopes-none");
            browser.click("token-scope-me-read");
            browser.click("token-scope-roms-read");
            browser.type("token-networks", "10.0.0.0/8, office-lan");
            browser.click("token-submit");
            browser.wait.until(d -> d.findElement(By.id("token-error")).getText().equals("'office-lan' is not an IP address or CIDR range."));
            assertEquals("token-networks", browser.driver.switchTo().activeElement().getDomAttribute("id"));
            browser.find(By.id("token-networks")).clear();
            browser.click("token-submit");
            browser.wait.until(d -> !d.findElement(By.id("token-secret")).getDomProperty("value").isEmpty());
            String secret = browser.find(By.id("token-secret")).getDomProperty("value");
            assertTrue(secret.startsWith("latch_"), secret);
            assertTrue(browser.text("token-created").contains("You won’t see it again"), browser.text("token-created"));
            By item = By.cssSelector("#tokens-list li[data-token-name='Backup script']");
            String listed = browser.find(item).getText();
            assertTrue(listed.contains("me.read") && listed.contains("roms.read") && listed.contains("Expires"), listed);
            // WCAG 2.5.3: what a voice-control user reads off the button is part of its accessible name.
            WebElement pairButton = browser.find(item).findElement(By.cssSelector("button[data-action='pair']"));
            assertEquals("Pair to a device: Backup script", pairButton.getAccessibleName());
            assertTrue(pairButton.getAccessibleName().startsWith(pairButton.getText()), pairButton.getText());
            browser.click("token-copy");
            browser.wait.until(d -> !d.findElement(By.id("token-copy-status")).getText().isBlank());
            browser.checkPageInBothSchemes("tokens");
            browser.screenshotLightAndDark("tokens");

            var me = latch.http().get("/api/auth/me", "Authorization", Http.bearer(secret));
            assertEquals(200, me.status(), me.toString());
            assertEquals(List.of("me.read", "roms.read"), scopes(me.json().at("/user/scopes")));

            // Regenerating asks again, shows a new secret once, and the old one stops working.
            WebElement regenerate = browser.find(item).findElement(By.cssSelector("button[data-action='regenerate']"));
            regenerate.click();
            assertEquals("Really regenerate?", regenerate.getText());
            regenerate.click();
            By fresh = By.cssSelector("#tokens-list li[data-token-name='Backup script'] input[data-role='secret']");
            browser.wait.until(d -> !d.findElements(fresh).isEmpty() && !d.findElement(fresh).getDomProperty("value").isEmpty());
            String regenerated = browser.find(fresh).getDomProperty("value");
            assertFalse(regenerated.equals(secret));
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(secret)).status());
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(regenerated)).status());

            WebElement revoke = browser.find(item).findElement(By.cssSelector("button[data-action='revoke']"));
            revoke.click();
            assertEquals("Really revoke?", revoke.getText());
            revoke.click();
            browser.wait.until(d -> d.findElements(item).isEmpty());
            assertEquals("Revoked “Backup script”: it no longer works.", browser.text("tokens-status"));
            assertTrue(browser.find(By.id("tokens-empty")).isDisplayed());
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(regenerated)).status());
        });
    }

    @Test
    void aDeviceStartsTheFlowThePersonApprovesInTheBrowserAndThePollGetsTheToken() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            var init = latch.http().postJson("/api/auth/device/init",
                    "{\"client_name\":\"Test handheld\",\"scopes\":[\"roms.read\",\"me.read\"]}");
            assertEquals(200, init.status(), init.toString());
            String link = init.json().get("verification_uri_complete").asText();
            String deviceCode = init.json().get("device_code").asText();
            String userCode = init.json().get("user_code").asText();
            assertEquals("authorization_pending", poll(latch, deviceCode).json().get("error").asText());

            // Not signed in yet: the link goes through sign-in and comes back with the code.
            browser.driver.get(link);
            String pairPath = "/pair?code=" + userCode;
            browser.waitForPage(base + "/login?rd=" + URLEncoder.encode(pairPath, StandardCharsets.UTF_8));
            browser.type("username", TestLatch.ADMIN);
            browser.type("password", PASSWORD);
            browser.click("submit");
            browser.waitForPage(base + pairPath);

            browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-request")));
            assertEquals("Test handheld wants access to your account", browser.text("request-title"));
            assertEquals(userCode, browser.text("request-code"));
            assertEquals("Test handheld", browser.find(By.id("device-token-name")).getDomProperty("value"));
            assertTrue(browser.find(By.id("grant-me-read")).isSelected());
            assertTrue(browser.find(By.id("grant-roms-read")).isSelected());
            browser.click("grant-roms-read");
            browser.checkPageInBothSchemes("pair-request");
            browser.screenshotLightAndDark("pair-request");
            browser.click("approve");
            browser.wait.until(d -> d.findElement(By.id("done-title")).getText().equals("Approved: go back to your device"));
            browser.waitForPage(base + "/pair");
            browser.checkPageInBothSchemes("pair-approved");
            browser.screenshotLightAndDark("pair-approved");

            // The device polls no sooner than the interval it was given.
            latch.clock().advance(Duration.ofSeconds(6));
            var token = poll(latch, deviceCode);
            assertEquals(200, token.status(), token.toString());
            String secret = token.json().get("access_token").asText();
            assertTrue(secret.startsWith("latch_"), secret);
            assertEquals("me.read", token.json().get("scope").asText());
            var me = latch.http().get("/api/auth/me", "Authorization", Http.bearer(secret));
            assertEquals(200, me.status(), me.toString());
            assertEquals(List.of("me.read"), scopes(me.json().at("/user/scopes")));

            // The token shows up on the account page, marked with the device it went to.
            browser.click("pair-links-tokens");
            browser.waitForPage(base + "/account#tokens");
            String listed = browser.find(By.cssSelector("#tokens-list li[data-token-name='Test handheld']")).getText();
            assertTrue(listed.contains("Device: Test handheld") && listed.contains("Expires") && !listed.contains("Never"), listed);
        });
    }

    @Test
    void aPairingCodeFromTheAccountPageHandsTheTokenToADevice() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            String session = latch.token(TestLatch.ADMIN, PASSWORD);
            var created = latch.http().postJson("/api/client-tokens",
                    "{\"name\":\"Arcade cabinet\",\"scopes\":[\"me.read\",\"roms.read\"],\"expires_in_seconds\":null}",
                    "Authorization", Http.bearer(session));
            assertEquals(201, created.status(), created.toString());
            String oldSecret = created.json().get("token").asText();

            browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            browser.driver.get(base + "/account");
            browser.waitForPage(base + "/account");
            By item = By.cssSelector("#tokens-list li[data-token-name='Arcade cabinet']");
            browser.find(item).findElement(By.cssSelector("button[data-action='pair']")).click();
            By codeEl = By.cssSelector("#tokens-list li[data-token-name='Arcade cabinet'] [data-role='pair-code']");
            browser.wait.until(d -> !d.findElements(codeEl).isEmpty());
            String code = browser.find(codeEl).getText();
            assertTrue(PAIRING_CODE.matcher(code).matches(), code);
            String left = browser.find(item).findElement(By.cssSelector("[role='timer']")).getText();
            assertTrue(left.matches("Expires in 0:(5\\d|60)|Expires in 1:00"), left);
            browser.checkPageInBothSchemes("pair-code");
            browser.screenshotLightAndDark("pair-code");

            var exchanged = latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"" + code + "\"}");
            assertEquals(200, exchanged.status(), exchanged.toString());
            String secret = exchanged.json().get("token").asText();
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(secret)).status());
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(oldSecret)).status());

            // A minute later (the page's clock moved on, rather than the test waiting) the code is marked expired.
            browser.driver.executeScript("const real = Date.now; Date.now = () => real() + 61000;");
            By pairing = By.cssSelector("#tokens-list li[data-token-name='Arcade cabinet'] [data-role='pairing']");
            browser.wait.until(d -> d.findElement(pairing).getText().contains("This code has expired — make a new code."));
            WebElement again = browser.find(pairing).findElement(By.xpath(".//button[text()='Make a new code']"));
            assertTrue(again.isDisplayed());
            again.click();
            browser.wait.until(d -> !d.findElement(codeEl).getText().equals(code)
                    && d.findElement(pairing).findElement(By.cssSelector("[role='timer']")).getText().startsWith("Expires in"));
        });
    }

    @Test
    void denyingARequestTellsTheDeviceNo() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            var init = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"Unknown box\",\"scopes\":[\"users.write\"]}");
            String deviceCode = init.json().get("device_code").asText();
            browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            browser.driver.get(base + "/pair");
            browser.waitForPage(base + "/pair");
            browser.type("user-code", init.json().get("user_code").asText().toLowerCase());
            browser.click("code-submit");
            browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-request")));
            browser.checkPage("pair, a request for a scope the person does not hold");
            browser.click("deny");
            browser.wait.until(d -> d.findElement(By.id("done-title")).getText().equals("Denied"));
            assertEquals("access_denied", poll(latch, deviceCode).json().get("error").asText());
        });
    }

    @Test
    void theDevicePageShowsWhyAWrongCodeIsRefused() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            browser.driver.get(base + "/pair?code=BBBB-BBBB");
            browser.waitForPage(base + "/pair?code=BBBB-BBBB");
            browser.wait.until(d -> d.findElement(By.id("code-error")).getText().equals("That code is wrong or has expired."));
            assertEquals("true", browser.find(By.id("user-code")).getDomAttribute("aria-invalid"));
            assertFalse(browser.find(By.id("step-request")).isDisplayed());

            // Not even the shape of a code: refused on the page, without spending a guess.
            browser.type("user-code", "abc");
            browser.click("code-submit");
            browser.wait.until(d -> d.findElement(By.id("code-error")).getText().startsWith("A code is 8 letters"));

            // Any case and no dash are fine; the server still says it is wrong.
            browser.type("user-code", "cdfgHJKL");
            browser.click("code-submit");
            browser.wait.until(d -> d.findElement(By.id("code-error")).getText().equals("That code is wrong or has expired."));
            assertEquals("CDFG-HJKL", browser.find(By.id("user-code")).getDomProperty("value"));
            browser.checkPageInBothSchemes("pair-wrong-code");
            browser.screenshotLightAndDark("pair-wrong-code");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {DESKTOP, PHONE})
    void theTokenFormSpeaksInSentencesAndItsPresetsGiveExactlyWhatThePersonHolds(int width) {
        TestLatch.run(dataDir, latch -> {
            String session = alexTheViewer(latch);
            String base = latch.http().base();
            use(width);
            browser.signIn(base, "alex", ALEX_PASSWORD);
            browser.driver.get(base + "/account");
            browser.waitForPage(base + "/account");

            // Read-only is the default; the boxes stay out of the way until "Choose…".
            assertTrue(browser.find(By.id("token-preset-read")).isSelected());
            assertFalse(browser.find(By.id("token-scope-picker")).isDisplayed());
            List<String> viewerReads = ScopeCatalog.DEFAULT_VIEWER.stream().filter(s -> s.endsWith(".read")).sorted().toList();
            assertEquals("Read-only: " + viewerReads.size() + " permissions, none that changes anything.",
                    browser.text("token-preset-summary"));
            browser.click("token-preset-custom");
            assertTrue(browser.find(By.id("token-scope-picker")).isDisplayed());
            assertEquals(List.of("Your account", "Games and library", "Devices", "Play online"), legends("token-scopes"),
                    "a viewer holds nothing under Administration, so that group is not offered");
            assertTrue(browser.driver.findElements(By.id("token-scope-users-write")).isEmpty());

            WebElement netplay = browser.find(By.id("token-scope-sfu-read"));
            String sentence = "Play online (netplay): list rooms and join games";
            assertEquals(sentence, browser.driver.findElement(By.cssSelector("label[for='token-scope-sfu-read']")).getText());
            assertTrue(netplay.getAccessibleName().contains(sentence), netplay.getAccessibleName());
            assertEquals("sfu.read", browser.text("token-scope-sfu-read-code"));
            assertEquals("token-scope-sfu-read-code", netplay.getDomAttribute("aria-describedby"));
            assertTrue(pixels(By.id("token-scope-sfu-read-code")) < pixels(By.cssSelector("label[for='token-scope-sfu-read']")),
                    "the code is in small print");
            assertEquals("Save your own game progress, notes and ratings",
                    browser.driver.findElement(By.cssSelector("label[for='token-scope-roms-user-write']")).getText());
            assertNothingScrollsSideways(width);
            browser.screenshotLightAndDark("token-scope-words-" + width);

            // Each preset as the server records it: the token holds what the page promised, no more.
            createToken("Reader", "token-preset-read");
            createToken("Everything", "token-preset-all");
            browser.type("token-name", "Saver");
            browser.click("token-preset-custom");
            browser.click("token-scopes-none");
            assertEquals("0 chosen below.", browser.text("token-preset-summary"));
            browser.click("token-scope-roms-user-write");
            browser.click("token-submit");
            waitForTokenListed("Saver");

            Map<String, List<String>> held = tokenScopes(latch, session);
            assertEquals(viewerReads, held.get("Reader"));
            assertEquals(ScopeCatalog.DEFAULT_VIEWER.stream().sorted().toList(), held.get("Everything"));
            assertEquals(List.of("roms.user.write"), held.get("Saver"));
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {DESKTOP, PHONE})
    void anOperatorsOwnScopeIsShownByItsCodeUnderOtherAndEverythingIncludesIt(int width) {
        TestLatch.run(dataDir, Map.of("LATCH_EXTRA_SCOPES", EXTRA_SCOPE), latch -> {
            String session = latch.setupAdmin();
            String base = latch.http().base();
            use(width);
            browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            browser.driver.get(base + "/account");
            browser.waitForPage(base + "/account");
            browser.click("token-preset-custom");

            List<String> groups = legends("token-scopes");
            assertEquals(List.of("Your account", "Games and library", "Devices", "Play online", "Administration",
                    "Server health", "Other"), groups);
            WebElement other = browser.find(By.xpath("//div[@id='token-scopes']/fieldset[legend='Other']"));
            assertEquals(EXTRA_SCOPE, other.findElement(By.cssSelector("label[for='token-scope-homeassistant-control']")).getText());
            assertEquals("Added by the operator of this server", browser.text("token-scope-homeassistant-control-code"));
            assertEquals(1, other.findElements(By.cssSelector("input[type='checkbox']")).size());
            assertNothingScrollsSideways(width);

            browser.click("token-preset-read");
            createToken("Whole house", "token-preset-all");
            var everything = new ArrayList<>(ScopeCatalog.DEFAULT_SCOPES);
            everything.add(EXTRA_SCOPE);
            assertEquals(everything.stream().sorted().toList(), tokenScopes(latch, session).get("Whole house"));
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {DESKTOP, PHONE})
    void pairNamesTheApproverCountsDownInWordsAndGivesTheDeviceThirtyDays(int width) {
        TestLatch.run(dataDir, latch -> {
            String session = alexTheViewer(latch);
            String base = latch.http().base();
            var init = latch.http().postJson("/api/auth/device/init",
                    "{\"client_name\":\"Living-room handheld\",\"scopes\":[\"sfu.read\",\"roms.user.write\",\"users.write\"]}");
            assertEquals(200, init.status(), init.toString());
            String deviceCode = init.json().get("device_code").asText();

            use(width);
            browser.signIn(base, "alex", ALEX_PASSWORD);
            browser.driver.get(init.json().get("verification_uri_complete").asText());
            browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-request")));
            assertEquals("Approving for Alex", browser.text("approver"));

            // "in 10 minutes", the exact instant in the title; it moves on as the page's clock does.
            WebElement expires = browser.find(By.id("request-expires"));
            assertTrue(expires.getText().matches("in (9|10) minutes"), expires.getText());
            assertFalse(expires.getDomAttribute("title").isBlank());
            Instant deadline = Instant.parse(expires.getDomAttribute("datetime"));
            assertTrue(Duration.between(latch.clock().instant().plusSeconds(600), deadline).abs().toSeconds() <= 1, deadline.toString());
            browser.driver.executeScript("const real = Date.now; Date.now = () => real() + 180000;");
            browser.wait.until(d -> d.findElement(By.id("request-expires")).getText().equals("in 7 minutes"));

            // The request in words; what Alex cannot grant is unticked, disabled and says why.
            assertEquals(List.of("Games and library", "Play online", "Administration"), legends("request-scopes"));
            assertEquals("Play online (netplay): list rooms and join games",
                    browser.driver.findElement(By.cssSelector("label[for='grant-sfu-read']")).getText());
            assertEquals("sfu.read", browser.text("grant-sfu-read-code"));
            assertTrue(browser.find(By.id("grant-sfu-read")).isSelected());
            assertTrue(browser.find(By.id("grant-roms-user-write")).isSelected());
            WebElement refused = browser.find(By.id("grant-users-write"));
            assertFalse(refused.isSelected());
            assertFalse(refused.isEnabled());
            assertEquals("You cannot grant this: your account may not do it.", browser.text("grant-users-write-why"));
            assertEquals("grant-users-write-code grant-users-write-why", refused.getDomAttribute("aria-describedby"));

            Select expiry = new Select(browser.find(By.id("device-token-expiry")));
            assertEquals("After 30 days", expiry.getFirstSelectedOption().getText());
            assertEquals(List.of("After 7 days", "After 30 days", "After 90 days", "After 1 year", "Never"),
                    expiry.getOptions().stream().map(WebElement::getText).toList());
            assertNothingScrollsSideways(width);
            browser.screenshotLightAndDark("pair-scope-words-" + width);

            browser.click("grant-roms-user-write");
            browser.click("approve");
            browser.wait.until(d -> d.findElement(By.id("done-title")).getText().equals("Approved: go back to your device"));
            latch.clock().advance(Duration.ofSeconds(6));
            var token = poll(latch, deviceCode);
            assertEquals(200, token.status(), token.toString());
            assertEquals("sfu.read", token.json().get("scope").asText());
            long expiresIn = token.json().get("expires_in").asLong();
            assertTrue(Math.abs(expiresIn - Duration.ofDays(30).toSeconds()) <= 60, "expires_in " + expiresIn);

            JsonNode listed = tokenNamed(latch, session, "Living-room handheld");
            Instant expiresAt = Instant.parse(listed.get("expires_at").asText());
            Instant thirtyDays = latch.clock().instant().plus(Duration.ofDays(30));
            assertTrue(Duration.between(expiresAt, thirtyDays).abs().toSeconds() <= 60, expiresAt + " vs " + thirtyDays);
        });
    }

    @Test
    void aRequestThatRunsOutOnScreenSaysSoAndCannotBeApproved() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            var init = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"Old tablet\",\"scopes\":[\"me.read\"]}");
            browser.signIn(base, TestLatch.ADMIN, PASSWORD);
            browser.driver.get(init.json().get("verification_uri_complete").asText());
            browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-request")));
            assertEquals("Approving for admin", browser.text("approver"), "no display name: the username");
            browser.driver.executeScript("const real = Date.now; Date.now = () => real() + 601000;");
            browser.wait.until(d -> d.findElement(By.id("request-dead")).isDisplayed());
            assertFalse(browser.find(By.id("request-live")).isDisplayed());
            assertFalse(browser.find(By.id("approve")).isEnabled());
        });
    }

    /** A viewer, "alex", displayed as "Alex"; returns their session. */
    private static String alexTheViewer(TestLatch latch) {
        latch.createUser(latch.setupAdmin(), "alex", ALEX_PASSWORD, "viewer");
        String session = latch.token("alex", ALEX_PASSWORD);
        var named = latch.http().patchJson("/api/auth/me", "{\"display_name\":\"Alex\"}", latch.cookieAuth(session));
        assertEquals(200, named.status(), named.toString());
        return session;
    }

    /** The window at this width: a phone (390×844) is emulated with a mobile viewport, a desktop is the plain window. */
    private static void use(int width) {
        if (width == PHONE) {
            browser.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", PHONE, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        } else {
            browser.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private static void createToken(String name, String preset) {
        browser.type("token-name", name);
        browser.click(preset);
        browser.click("token-submit");
        waitForTokenListed(name);
    }

    private static void waitForTokenListed(String name) {
        browser.wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#tokens-list li[data-token-name='" + name + "']")));
    }

    /** The group names in order, as written (textContent: the page shows legends in capitals). */
    private static List<String> legends(String containerId) {
        return browser.driver.findElements(By.cssSelector("#" + containerId + " > fieldset > legend")).stream()
                .map(l -> l.getDomProperty("textContent").strip()).toList();
    }

    private static double pixels(By by) {
        return Double.parseDouble(browser.driver.findElement(by).getCssValue("font-size").replace("px", ""));
    }

    /** Fails if the page, or the token or pairing card, is wider than the screen. */
    private static void assertNothingScrollsSideways(int width) {
        // Read on a Latch page: a mobile viewport is only as wide as the screen where the page says so (meta viewport).
        browser.wait.until(d -> ((Number) browser.driver.executeScript("return window.innerWidth")).intValue() == width);
        Object overflowing = browser.driver.executeScript("""
                const out = [];
                const page = document.documentElement;
                if (page.scrollWidth > page.clientWidth) out.push('the page: ' + page.scrollWidth + ' px');
                for (const box of document.querySelectorAll('#tokens, #step-request, .scope-group, .scope-choice')) {
                  if (box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1) {
                    out.push((box.id || box.className) + ': ' + box.scrollWidth + ' > ' + box.clientWidth + ' px');
                  }
                }
                return out.join(', ');""");
        assertEquals("", overflowing, "wider than " + width + " px");
    }

    /** Token name → the scopes the server says it holds, for the person whose session this is. */
    private static Map<String, List<String>> tokenScopes(TestLatch latch, String session) {
        var out = new HashMap<String, List<String>>();
        tokens(latch, session).forEach(t -> out.put(t.get("name").asText(), scopes(t.get("scopes"))));
        return out;
    }

    private static JsonNode tokenNamed(TestLatch latch, String session, String name) {
        for (JsonNode t : tokens(latch, session)) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError(name + " is not listed");
    }

    /** The person's tokens as the server lists them. */
    private static JsonNode tokens(TestLatch latch, String session) {
        var res = latch.http().get("/api/client-tokens", "Authorization", Http.bearer(session));
        assertEquals(200, res.status(), res.toString());
        return res.json().get("tokens");
    }

    private static Http.Response poll(TestLatch latch, String deviceCode) {
        return latch.http().postJson("/api/auth/device/token", "{\"device_code\":\"" + deviceCode + "\"}");
    }

    private static List<String> scopes(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out.stream().sorted().toList();
    }
}
