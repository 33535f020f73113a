package latch.web;

import com.fasterxml.jackson.databind.JsonNode;
import latch.support.Http;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The netplay tab of the admin page (signing keys and live rooms) driven in headless Debian Chromium against a real
 * Latch, with the SFU's side played by a plain HTTP client. Screenshots go to the folder named by
 * {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
class AdminKeysBrowserTest {
    private static final String PASSWORD = TestLatch.ADMIN_PASSWORD;
    private static final String SFU_SECRET = "sfu-internal-secret-for-the-admin-page-0123456789";
    private static final By KEY_ROWS = By.cssSelector("#keys-body tr");

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
        browser.resetViewport();
        Browser.forgetTheTest(browser);
    }

    @Test
    void anAdminRotatesTheSigningKeyIsToldOneIsAlreadyWaitingAndWithdrawsIt() {
        TestLatch.run(dataDir, Map.of("ROMM_SFU_INTERNAL_SECRET", SFU_SECRET), latch -> {
            String session = latch.setupAdmin();
            String base = latch.http().base();
            openNetplayTab(base);

            browser.wait.until(d -> d.findElements(KEY_ROWS).size() == 1);
            WebElement active = browser.find(By.cssSelector("#keys-body tr[data-state='active']"));
            assertTrue(active.getText().contains("Active"), active.getText());
            assertTrue(browser.find(By.id("keys-title")).isDisplayed());

            // Rotating publishes a next key, which the page lists above the active one.
            browser.click("keys-rotate");
            browser.wait.until(d -> d.findElements(KEY_ROWS).size() == 2);
            WebElement next = browser.find(By.cssSelector("#keys-body tr:first-child"));
            assertEquals("next", next.getDomAttribute("data-state"));
            String nextKid = next.getDomAttribute("data-kid");
            browser.wait.until(d -> d.findElement(By.id("keys-status")).getText().startsWith("Published key " + nextKid + "."));
            assertEquals("next", stateOnServer(latch, session, nextKid));

            // A second rotation while that key waits is refused, and the server's sentence is shown.
            browser.click("keys-rotate");
            browser.wait.until(d -> !d.findElement(By.id("keys-error")).getText().isBlank());
            assertEquals("A new key is already waiting to take over; it signs within a minute.", browser.text("keys-error"));
            assertTrue(browser.text("keys-status").isBlank(), "no success note beside the refusal");
            browser.wait.until(d -> d.findElements(KEY_ROWS).size() == 2);
            browser.checkPageInBothSchemes("admin-keys");
            browser.screenshotLightAndDark("admin-keys");

            // Withdrawing asks first, naming the key and what happens; dismissing keeps it.
            By withdraw = By.cssSelector("#keys-body tr[data-kid='" + nextKid + "'] button[data-action='withdraw']");
            assertEquals("Withdraw key " + nextKid, browser.find(withdraw).getDomAttribute("aria-label"));
            browser.find(withdraw).click();
            Alert ask = browser.wait.until(ExpectedConditions.alertIsPresent());
            assertTrue(ask.getText().contains(nextKid) && ask.getText().contains("tokens it signed stop working at once"), ask.getText());
            ask.dismiss();
            assertEquals("next", stateOnServer(latch, session, nextKid));

            browser.find(withdraw).click();
            browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
            By withdrawn = By.cssSelector("#keys-body tr[data-kid='" + nextKid + "'][data-state='retired']");
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(withdrawn));
            assertTrue(browser.find(withdrawn).getText().contains("Withdrawn"), browser.find(withdrawn).getText());
            assertTrue(browser.driver.findElements(withdraw).isEmpty(), "a retired key has nothing left to withdraw");
            assertEquals("Key " + nextKid + " withdrawn: tokens it signed no longer work.", browser.text("keys-status"));
            assertTrue(browser.text("keys-error").isBlank(), "the earlier refusal is cleared");
            assertEquals("retired", stateOnServer(latch, session, nextKid));
            assertEquals(1, browser.driver.findElements(By.cssSelector("#keys-body tr[data-state='active']")).size());
        });
    }

    @Test
    void aRoomTheSfuAnnouncesIsListedAfterRefreshAndThePanelsFitAPhone() {
        TestLatch.run(dataDir, Map.of("ROMM_SFU_INTERNAL_SECRET", SFU_SECRET), latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            openNetplayTab(base);
            browser.wait.until(d -> d.findElement(By.id("rooms-empty")).isDisplayed());
            assertEquals("No live rooms.", browser.text("rooms-empty"));

            var upsert = latch.http().postJson("/api/sfu/internal/rooms/upsert",
                    "{\"room_name\":\"Friday Mario Kart\",\"current\":2,\"max\":4,\"hasPassword\":false,"
                            + "\"nodeId\":\"n1\",\"url\":\"http://sfu.local:3001\"}",
                    "x-romm-sfu-secret", SFU_SECRET);
            assertEquals(200, upsert.status(), upsert.toString());

            browser.click("rooms-refresh");
            By room = By.cssSelector("#rooms-body tr[data-room='Friday Mario Kart']");
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(room));
            String row = browser.find(room).getText();
            assertTrue(row.contains("Friday Mario Kart") && row.contains("2 of 4") && row.contains("n1")
                    && row.contains("http://sfu.local:3001") && row.contains("None"), row);
            assertFalse(browser.find(By.id("rooms-empty")).isDisplayed());
            browser.wait.until(d -> d.findElement(By.id("rooms-status")).getText().endsWith(": 1 live room."));

            // On a 390 px phone, and in a window just wide enough for the tables as tables, nothing scrolls sideways:
            // neither the page nor a table inside its frame.
            browser.viewport(900, Browser.PHONE_HEIGHT, false);
            browser.checkPage("the netplay tab, 900 px wide");
            browser.viewport(Browser.PHONE_WIDTH, Browser.PHONE_HEIGHT, true);
            assertEquals("\"Players\"", browser.driver.executeScript(
                    "return getComputedStyle(document.querySelector(\"#rooms-body td[data-label='Players']\"), '::before').content"),
                    "on a phone each line names its column");
            browser.checkPageInBothSchemes("admin-netplay-phone");
            browser.screenshotLightAndDark("admin-netplay-phone");
        });
    }

    private static void openNetplayTab(String base) {
        browser.signIn(base, TestLatch.ADMIN, PASSWORD);
        browser.driver.get(base + "/admin#netplay");
        browser.waitForPage(base + "/admin#netplay");
        assertEquals("true", browser.find(By.id("tab-netplay")).getDomAttribute("aria-selected"));
    }


    private static String stateOnServer(TestLatch latch, String session, String kid) {
        var res = latch.http().get("/api/admin/keys", "Authorization", Http.bearer(session));
        assertEquals(200, res.status(), res.toString());
        for (JsonNode key : res.json().get("keys")) {
            if (key.get("kid").asText().equals(kid)) {
                return key.get("state").asText();
            }
        }
        throw new AssertionError(kid + " is not listed: " + res);
    }
}
