package latch.web;

import com.fasterxml.jackson.databind.JsonNode;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API tokens on the account page and device pairing on /pair, driven in headless Debian Chromium against a real
 * Latch, with the device's side played by a plain HTTP client. Screenshots go to the folder named by
 * {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
class TokensBrowserTest {
    private static final String PASSWORD = TestLatch.ADMIN_PASSWORD;
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
        Browser.forgetTheTest(browser);
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
            assertTrue(listed.contains("Device: Test handheld") && listed.contains("Never expires"), listed);
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

    private static Http.Response poll(TestLatch latch, String deviceCode) {
        return latch.http().postJson("/api/auth/device/token", "{\"device_code\":\"" + deviceCode + "\"}");
    }

    private static List<String> scopes(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out.stream().sorted().toList();
    }
}
