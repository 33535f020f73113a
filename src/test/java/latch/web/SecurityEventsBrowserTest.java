package latch.web;

import latch.http.DeviceName;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account page's security events name the device a session was on and hold no "0 sessions ended" row; the
 * sign-in page tells the owner of a disabled account who keeps giving the right password to ask an admin. At desktop
 * size and on a 390 x 844 phone.
 */
class SecurityEventsBrowserTest {
    private static final String PASSWORD = "bob's long password";
    private static final String FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

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

    private static String text(WebElement e) {
        return e.getDomProperty("textContent"); // hidden or not, on a phone's stacked layout too
    }

    @Test
    void theEventsListNamesTheDeviceASessionWasOnAndHasNoEmptySignOuts() {
        TestLatch.run(dataDir, latch -> {
            String admin = latch.setupAdmin();
            String base = latch.http().base();
            for (Browser person : List.of(desktop, phone)) {
                String name = person == phone ? "carol" : "bob"; // a person each, so each list starts empty
                latch.createUser(admin, name, PASSWORD, "viewer");
                // Signing out everywhere else with nowhere else signed in: nothing ended, nothing written.
                String alone = latch.token(name, PASSWORD);
                assertEquals(0, latch.http().post("/api/auth/logout-all", "Authorization", Http.bearer(alone)).json()
                        .get("ended").asInt());
                assertEquals(204, latch.http().post("/api/auth/logout", "Authorization", Http.bearer(alone)).status());
                signIn(latch, name, FIREFOX_ON_WINDOWS);

                person.signIn(base, name, PASSWORD);
                person.driver.get(base + "/account");
                person.waitForPage(base + "/account");
                person.wait.until(d -> d.findElements(By.cssSelector("#sessions-body tr")).size() == 2);
                WebElement other = person.find(By.cssSelector("#sessions-body tr[data-current='false']"));
                assertTrue(text(other).contains("Firefox on Windows"), text(other));
                other.findElement(By.cssSelector("button[data-action='end-session']")).click();

                By ended = By.cssSelector("#events-body tr[data-type='session_ended']");
                person.wait.until(d -> !d.findElements(ended).isEmpty());
                WebElement row = person.find(ended);
                assertTrue(text(row).contains("Session ended"), text(row));
                assertEquals("Firefox on Windows", text(row.findElement(By.cssSelector("td:last-child"))).strip());
                for (WebElement event : person.driver.findElements(By.cssSelector("#events-body tr"))) {
                    assertFalse(text(event).matches("(?s).*\\b0 (sessions|ended)\\b.*"), "a row about nothing: " + text(event));
                }
                assertTrue(person.driver.findElements(By.cssSelector("#events-body tr[data-type='sessions_ended']")).isEmpty());
                person.checkPage("account, a session ended");
                person.screenshot("account-events-" + (person == phone ? "phone" : "desktop"));

                // Signing out everywhere else once there is somewhere: one row, naming what it ended.
                signIn(latch, name, "curl/8.5.0");
                person.driver.navigate().refresh();
                person.waitForPage(base + "/account");
                person.wait.until(d -> d.findElements(By.cssSelector("#sessions-body tr")).size() == 2);
                person.click("logout-others");
                By everywhere = By.cssSelector("#events-body tr[data-type='sessions_ended']");
                person.wait.until(d -> d.findElements(everywhere).size() == 1);
                assertEquals("sign out everywhere: 1 session (curl/8.5.0)",
                        text(person.find(everywhere).findElement(By.cssSelector("td:last-child"))).strip());
            }
        });
    }

    private static void signIn(TestLatch latch, String username, String userAgent) {
        var res = latch.http().postJson("/api/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}",
                "User-Agent", userAgent);
        assertEquals(200, res.status(), res.toString());
    }

    @Test
    void thePagesAndTheServerNameADeviceAlike() {
        TestLatch.run(dataDir, latch -> {
            latch.setupAdmin();
            String base = latch.http().base();
            desktop.driver.get(base + "/login");
            desktop.waitForPage(base + "/login");
            List<String> agents = List.of(FIREFOX_ON_WINDOWS,
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
                    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
                    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 OPR/105.0",
                    (String) desktop.driver.executeScript("return navigator.userAgent"),
                    "curl/8.5.0", "Kodi/21.0 (Linux; Android 13)", "", " ");
            @SuppressWarnings("unchecked")
            var named = (List<String>) desktop.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    import('/assets/ui.js').then((ui) => done(arguments[0].map(ui.describeAgent)));""", agents);
            assertEquals(agents.stream().map(DeviceName::of).toList(), named);
        });
    }

    @Test
    void theRightPasswordForADisabledAccountIsToldToAskAnAdminOnTheThirdTry() {
        TestLatch.run(dataDir, latch -> {
            String admin = latch.setupAdmin();
            long bob = latch.createUser(admin, "bob", PASSWORD, "viewer");
            assertEquals(200, latch.http().patchJson("/api/users/" + bob, "{\"enabled\":false}", "Authorization",
                    Http.bearer(admin)).status());
            String base = latch.http().base();
            for (Browser person : List.of(desktop, phone)) {
                person.driver.get(base + "/login");
                person.waitForPage(base + "/login");
                for (int i = 0; i < 3; i++) {
                    person.type("username", "bob");
                    person.type("password", "a wrong guess " + i);
                    person.click("submit");
                    String error = person.waitForError();
                    assertEquals("The username or password is wrong.", error);
                    person.driver.navigate().refresh();
                    person.waitForPage(base + "/login");
                }
                String error = "";
                for (int i = 0; i < 3; i++) {
                    person.type("username", "bob");
                    person.type("password", PASSWORD);
                    person.click("submit");
                    error = person.waitForError();
                    person.driver.navigate().refresh();
                    person.waitForPage(base + "/login");
                }
                assertEquals("The username or password is wrong. If you are sure of your password, your account may be"
                        + " disabled: ask an admin of this server.", error);
                person.type("username", "bob");
                person.type("password", PASSWORD);
                person.click("submit");
                person.waitForError();
                person.checkPage("login, the hint to ask an admin");
                latch.clock().advance(java.time.Duration.ofMinutes(16)); // the next browser starts from the first try
            }
        });
    }
}
