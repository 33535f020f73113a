package latch.web;

import com.fasterxml.jackson.databind.JsonNode;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trusted instances panel of the admin page's netplay tab (federation) driven in headless Debian Chromium against
 * a real Latch that knows its public URL, as adding an instance needs. The peer is never contacted: its keys are
 * fetched only when its first token arrives. Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp}.
 */
class AdminIssuersBrowserTest {
    private static final String PEER = "https://peer.example";
    private static final By PEER_ROW = By.cssSelector("#issuers-body tr[data-issuer='" + PEER + "']");

    @TempDir
    static Path profile;
    @TempDir
    Path dataDir;

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
        browser.resetViewport();
        Browser.forgetTheTest(browser);
    }

    @Test
    void anAdminTrustsAnInstanceIsToldItIsThereAlreadyDisablesItAndRemovesIt() throws Exception {
        // LATCH_PUBLIC_URL is the address the browser uses (http://127.0.0.1:<port>), so its cookies are the site's own.
        try (var latch = TestLatch.startPublic(dataDir, Map.of(), new TestClock())) {
            String session = latch.setupAdmin();
            String base = latch.settings().server().publicUrl();
            browser.signIn(base, TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            browser.driver.get(base + "/admin#netplay");
            browser.waitForPage(base + "/admin#netplay");
            browser.wait.until(d -> d.findElement(By.id("issuers-empty")).isDisplayed());
            assertFalse(browser.find(By.id("issuers-table")).isDisplayed());

            // Adding: only the issuer URL and the rooms box; the keys' address defaults on the server.
            browser.type("issuer-url", PEER);
            browser.type("issuer-note", "the Smiths");
            browser.click("issuer-rooms");
            browser.click("issuer-submit");
            browser.wait.until(d -> !d.findElement(By.id("issuer-form-status")).getText().isBlank());
            assertEquals("Added " + PEER + ". Its keys are fetched from " + PEER + "/.well-known/jwks.json when its first"
                    + " token arrives.", browser.text("issuer-form-status"));
            WebElement row = browser.find(PEER_ROW);
            assertEquals("true", row.getDomAttribute("data-enabled"));
            String text = row.getText();
            assertTrue(text.contains("Enabled") && text.contains("Shared here") && text.contains("RS256, ES256")
                    && text.contains("the Smiths") && text.contains(PEER + "/.well-known/jwks.json")
                    && text.contains("Not yet") && text.contains("None"), text);
            assertEquals("", browser.find(By.id("issuer-url")).getDomProperty("value"), "the form is cleared");
            JsonNode stored = onServer(latch, session);
            assertTrue(stored.get("enabled").asBoolean() && stored.get("list_rooms").asBoolean(), stored.toString());
            assertEquals("the Smiths", stored.get("note").asText());

            // Adding it again is refused with the server's own sentence, on the field it is about.
            browser.type("issuer-url", PEER);
            browser.click("issuer-submit");
            browser.wait.until(d -> !d.findElement(By.id("issuer-form-error")).getText().isBlank());
            assertEquals("That instance is trusted already: change or remove its entry instead.", browser.text("issuer-form-error"));
            assertEquals("true", browser.find(By.id("issuer-url")).getDomAttribute("aria-invalid"));
            assertTrue(browser.text("issuer-form-status").isBlank(), "no success note beside the refusal");
            assertEquals(1, browser.driver.findElements(By.cssSelector("#issuers-body tr")).size());
            browser.checkPageInBothSchemes("admin-issuers");
            browser.screenshotLightAndDark("admin-issuers");

            // Disabling takes effect at once; the row says so and offers to enable it again.
            By toggle = By.cssSelector("#issuers-body tr[data-issuer='" + PEER + "'] button[data-action='toggle']");
            assertEquals("Disable " + PEER, browser.find(toggle).getDomAttribute("aria-label"));
            browser.find(toggle).click();
            browser.wait.until(d -> "false".equals(d.findElement(PEER_ROW).getDomAttribute("data-enabled")));
            assertTrue(browser.find(PEER_ROW).getText().contains("Disabled"), browser.find(PEER_ROW).getText());
            assertEquals("Enable", browser.find(toggle).getText());
            assertEquals("Disabled " + PEER + ": its players' tokens no longer work here.", browser.text("issuers-status"));
            assertFalse(onServer(latch, session).get("enabled").asBoolean());

            // On a 390 px phone, and in a window just wide enough for the tables as tables, nothing scrolls sideways.
            browser.viewport(900, Browser.PHONE_HEIGHT, false);
            browser.checkPage("the trusted instances, 900 px wide");
            browser.viewport(Browser.PHONE_WIDTH, Browser.PHONE_HEIGHT, true);
            assertEquals("\"Enabled\"", browser.driver.executeScript(
                    "return getComputedStyle(document.querySelector(\"#issuers-body td[data-label='Enabled']\"), '::before').content"),
                    "on a phone each line names its column");
            browser.checkPageInBothSchemes("admin-issuers-phone");
            browser.screenshotLightAndDark("admin-issuers-phone");
            browser.resetViewport();

            // Removing asks first, naming the instance and what happens; dismissing keeps it.
            By remove = By.cssSelector("#issuers-body tr[data-issuer='" + PEER + "'] button[data-action='remove']");
            browser.find(remove).click();
            Alert ask = browser.wait.until(ExpectedConditions.alertIsPresent());
            assertTrue(ask.getText().contains(PEER) && ask.getText().contains("Its players' tokens stop working here at once"),
                    ask.getText());
            ask.dismiss();
            assertTrue(onServer(latch, session) != null, "dismissing keeps the entry");

            browser.find(remove).click();
            browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
            browser.wait.until(d -> d.findElement(By.id("issuers-empty")).isDisplayed());
            assertTrue(browser.driver.findElements(PEER_ROW).isEmpty());
            assertEquals("Removed " + PEER + ": its players' tokens no longer work here.", browser.text("issuers-status"));
            assertNull(onServer(latch, session));
        }
    }


    /** The entry for {@link #PEER} as the API lists it, or null when there is none. */
    private static JsonNode onServer(TestLatch latch, String session) {
        var res = latch.http().get("/api/admin/issuers", "Authorization", Http.bearer(session));
        assertEquals(200, res.status(), res.toString());
        for (JsonNode issuer : res.json().get("issuers")) {
            if (issuer.get("issuer").asText().equals(PEER)) {
                return issuer;
            }
        }
        return null;
    }
}
