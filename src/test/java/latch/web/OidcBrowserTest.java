package latch.web;

import latch.support.OpenIdProvider;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single sign-on in headless Debian Chromium against a real Latch and a real OpenID provider on loopback ports (the
 * provider signs in whoever the test names, without a form of its own).
 */
class OidcBrowserTest {
    @TempDir
    static Path profile;
    @TempDir
    Path dataDir;
    private static Browser browser;
    private final OpenIdProvider provider = new OpenIdProvider();

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
        provider.close();
        Browser.forgetTheTest(browser);
    }

    private static Map<String, Object> person(String username) {
        return Map.of("preferred_username", username, "email", username + "@example.com", "email_verified", true, "name", username);
    }

    @Test
    void signingInWithTheProviderCreatesTheAccountAndTheAccountPageShowsTheLink() throws Exception {
        try (var latch = TestLatch.startPublic(dataDir, provider.settings(Map.of("OIDC_ALLOW_REGISTRATION", "true")), new TestClock())) {
            latch.setupAdmin();
            String base = latch.settings().server().publicUrl(); // the redirect address's host, where the binding cookie lives
            provider.nextSignIn("sub-nora", person("nora"));
            browser.driver.get(base + "/login?rd=%2Faccount");
            browser.waitForPage(base + "/login?rd=%2Faccount");
            assertEquals("Sign in with Home ID", browser.text("sso-button"));
            assertTrue(browser.driver.findElement(By.id("login-form")).isDisplayed(), "password sign-in is on too");
            browser.checkPage("oidc-login");
            browser.screenshot("oidc-login");
            browser.click("sso-button");
            browser.waitForPage(base + "/account");
            browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("identities")));
            assertEquals("Sign in with Home ID", browser.text("identities-title"));
            browser.wait.until(d -> d.findElements(By.cssSelector("#identities-list li")).size() == 1);
            assertTrue(browser.text("identities-list").contains("nora@example.com"), browser.text("identities-list"));
            browser.checkPage("oidc-account");
            browser.screenshot("oidc-account");

            // Her only way in: the page says so instead of unlinking.
            var unlink = browser.driver.findElement(By.cssSelector("#identities-list li button"));
            unlink.click();
            unlink.click();
            browser.wait.until(d -> !d.findElement(By.id("identities-error")).getText().isBlank());
            assertTrue(browser.text("identities-error").contains("only way"), browser.text("identities-error"));
        }
    }

    @Test
    void withPasswordSignInOffThePageOffersOnlyTheProvider() throws Exception {
        var settings = provider.settings(Map.of("DISABLE_USERPASS_LOGIN", "true", "OIDC_ALLOW_REGISTRATION", "true"));
        try (var latch = TestLatch.startPublic(dataDir, settings, new TestClock())) {
            latch.setupAdmin();
            String base = latch.settings().server().publicUrl(); // the redirect address's host, where the binding cookie lives
            browser.driver.get(base + "/login");
            browser.waitForPage(base + "/login");
            assertTrue(browser.driver.findElement(By.id("sso-button")).isDisplayed());
            assertFalse(browser.driver.findElement(By.id("username")).isDisplayed(), "no password form");
            assertFalse(browser.driver.findElement(By.id("password")).isDisplayed());
            assertFalse(browser.driver.findElement(By.id("sso-or")).isDisplayed());
            browser.checkPage("oidc-only");
            browser.screenshot("oidc-only");
        }
    }

    @Test
    void autologinGoesStraightToTheProviderUnlessTheVisitorAsksForThePage() {
        var settings = provider.settings(Map.of("OIDC_AUTOLOGIN", "true", "OIDC_ALLOW_REGISTRATION", "true"));
        try (var latch = TestLatch.startPublic(dataDir, settings, new TestClock())) {
            latch.setupAdmin();
            String base = latch.settings().server().publicUrl(); // the redirect address's host, where the binding cookie lives
            provider.nextSignIn("sub-omar", person("omar"));
            browser.driver.get(base + "/login");
            browser.waitForPage(base + "/");
            browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("who")));
            assertEquals("omar", browser.text("who-username"));

            browser.driver.manage().deleteAllCookies();
            browser.driver.get(base + "/login?local=1");
            browser.waitForPage(base + "/login?local=1");
            assertTrue(browser.driver.findElement(By.id("login-form")).isDisplayed(), "the admin's escape");
        }
    }

    @Test
    void signingOutEndsTheProvidersSessionTooAndComesBackToSignIn() {
        var settings = provider.settings(Map.of("OIDC_ALLOW_REGISTRATION", "true", "OIDC_RP_INITIATED_LOGOUT", "true"));
        try (var latch = TestLatch.startPublic(dataDir, settings, new TestClock())) {
            latch.setupAdmin();
            String base = latch.settings().server().publicUrl();
            provider.nextSignIn("sub-pia", person("pia"));
            browser.driver.get(base + "/login?rd=%2Faccount");
            browser.waitForPage(base + "/login?rd=%2Faccount");
            browser.click("sso-button");
            browser.waitForPage(base + "/account");
            browser.click("sign-out");
            // Through the provider's end-session endpoint and back to the address registered for it.
            browser.waitForPage(base + "/login");
            assertTrue(provider.requests().stream().anyMatch(r -> r.getPath().contains("/endsession")
                    && r.getPath().contains("id_token_hint=")), "the provider was asked to end its session");
            browser.driver.get(base + "/account");
            browser.waitForPage(base + "/login?rd=%2Faccount");
        }
    }
}
