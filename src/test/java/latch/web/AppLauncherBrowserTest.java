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
import org.openqa.selenium.support.ui.Select;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app launcher driven in headless Debian Chromium against a real Latch: an admin lists apps on the admin page's
 * Apps tab (a built-in symbol, an uploaded PNG, a scope that keeps one from viewers), and a viewer, in a browser of
 * their own, finds on the home page only what their scopes open; on a desktop and on a 390 by 844 phone.
 * Screenshots go to the folder named by {@code -Dlatch.ui.screenshots=/tmp} when it is set.
 */
class AppLauncherBrowserTest {
    private static final String VIEWER_PASSWORD = "vera's long passphrase";
    private static final By APP_ITEMS = By.cssSelector("#apps-list li");

    @TempDir
    static Path adminProfile;
    @TempDir
    static Path viewerProfile;
    @TempDir
    Path dataDir;
    @TempDir
    Path files;

    private static Browser admin;
    private static Browser viewer;

    @BeforeAll
    static void startBrowsers() {
        admin = new Browser(adminProfile, 1100, 1000);
        viewer = new Browser(viewerProfile, 1100, 1000);
    }

    @AfterAll
    static void stopBrowsers() {
        Browser.quit(admin, viewer);
    }

    @AfterEach
    void forgetTheTest() {
        for (Browser b : new Browser[] {admin, viewer}) {
            b.resetViewport();
        }
        Browser.forgetTheTest(admin, viewer);
    }

    @Test
    void anAdminListsAppsAndAViewerSeesOnlyWhatTheirScopesOpen() throws Exception {
        Path png = files.resolve("photos.png");
        ImageIO.write(picture(), "png", png.toFile());
        TestLatch.run(dataDir, latch -> {
            String adminToken = latch.setupAdmin();
            String[] asAdmin = {"Authorization", Http.bearer(adminToken)};
            long vera = latch.createUser(adminToken, "vera", VIEWER_PASSWORD, "viewer");
            assertEquals(200, latch.http().patchJson("/api/users/" + vera, "{\"display_name\":\"Vera Valdés\"}", asAdmin).status());
            String base = latch.http().base();

            // An admin with no apps yet is pointed to where they are added.
            admin.signIn(base, TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals("Hello, admin", admin.text("greeting"), "no display name: the username");
            assertEquals("Signed in as admin, an administrator", admin.text("who"));
            assertTrue(admin.find(By.id("apps-empty")).isDisplayed());
            admin.find(By.cssSelector("#apps-add a")).click();
            admin.waitForPage(base + "/admin#apps");
            admin.wait.until(d -> d.findElement(By.id("apps-empty")).isDisplayed());
            assertEquals("true", admin.find(By.id("tab-apps")).getDomAttribute("aria-selected"));

            // A built-in symbol, shown to everyone signed in.
            fillIn("Films", "https://films.example/web/");
            admin.find(By.cssSelector("label[for='app-icon-film']")).click();
            admin.click("app-submit");
            waitForStatus("app-form-status", "Added Films to the home page.");
            admin.wait.until(d -> d.findElements(APP_ITEMS).size() == 1);
            assertEquals("", admin.find(By.id("app-name")).getDomProperty("value"), "the form is cleared");

            // An uploaded PNG, only for those who may change the library (editors and admins).
            fillIn("Photos", "https://photos.example");
            new Select(admin.find(By.id("app-scope"))).selectByValue("roms.write");
            admin.find(By.id("app-icon-file")).sendKeys(png.toString());
            assertTrue(admin.find(By.id("app-icon-upload")).isSelected(), "choosing a file chooses the image");
            admin.click("app-submit");
            waitForStatus("app-form-status", "Added Photos to the home page.");
            JsonNode photos = onServer(latch, asAdmin, "Photos");
            assertTrue(photos.get("icon").isNull() && photos.get("icon_url").asText().startsWith("/api/apps/"), photos.toString());
            assertEquals("roms.write", photos.get("required_scope").asText());
            WebElement photosItem = item("Photos");
            assertTrue(photosItem.getText().contains("Only holders of roms.write"), photosItem.getText());
            assertImageShown(admin, "#apps-list li[data-name='Photos'] img");

            // An address that is not http(s) is refused on its field, in the server's words; nothing is added.
            fillIn("Trap", "javascript:alert(document.cookie)");
            admin.click("app-submit");
            admin.wait.until(d -> !d.findElement(By.id("app-form-error")).getText().isBlank());
            assertTrue(admin.text("app-form-error").contains("http://"), admin.text("app-form-error"));
            assertEquals("true", admin.find(By.id("app-url")).getDomAttribute("aria-invalid"));
            assertEquals(2, admin.driver.findElements(APP_ITEMS).size());

            // A third, and one to delete, through the API; the tab lists them after a reload.
            latch.http().postJson("/api/admin/apps", "{\"name\":\"Library\",\"url\":\"https://library.example\",\"icon\":\"book\","
                    + "\"required_scope\":\"roms.read\"}", asAdmin);
            latch.http().postJson("/api/admin/apps", "{\"name\":\"Old wiki\",\"url\":\"https://wiki.example\"}", asAdmin);
            admin.driver.navigate().refresh();
            admin.waitForPage(base + "/admin#apps");
            admin.wait.until(d -> d.findElements(APP_ITEMS).size() == 4);

            // Up and down; the keyboard stays on the moved app.
            button("Films", "down").click();
            admin.wait.until(d -> names(admin).equals(List.of("Photos", "Films", "Library", "Old wiki")));
            waitForStatus("apps-status", "Films is now number 2 on the home page.");
            assertEquals("Films", admin.driver.switchTo().activeElement().findElement(By.xpath("ancestor::li")).getDomAttribute("data-name"));
            button("Films", "up").click();
            admin.wait.until(d -> names(admin).equals(List.of("Films", "Photos", "Library", "Old wiki")));
            assertTrue(button("Films", "up").getDomProperty("disabled").equals("true"), "the first cannot move up");

            // Editing fills the form; saving renames.
            button("Films", "edit").click();
            assertEquals("Edit Films", admin.text("app-form-title"));
            assertEquals("Films", admin.find(By.id("app-name")).getDomProperty("value"));
            assertTrue(admin.find(By.id("app-icon-film")).isSelected());
            admin.type("app-name", "Movies");
            admin.click("app-submit");
            waitForStatus("app-form-status", "Saved Movies.");
            assertEquals("Add an app", admin.text("app-form-title"));
            assertEquals("Add app", admin.text("app-submit"));
            assertEquals(List.of("Movies", "Photos", "Library", "Old wiki"), names(admin));

            // Deleting asks first, naming the app; cancelling keeps it.
            button("Old wiki", "delete").click();
            admin.waitForQuestion();
            assertEquals("Delete the app “Old wiki”?", admin.text("confirm-question"));
            assertTrue(admin.text("confirm-consequence").contains("leaves everyone’s home page"), admin.text("confirm-consequence"));
            admin.answer("cancel");
            assertEquals(4, latch.http().get("/api/admin/apps", asAdmin).json().get("apps").size());
            button("Old wiki", "delete").click();
            admin.answer("confirm");
            waitForStatus("apps-status", "Deleted Old wiki: it is no longer on anyone's home page.");
            assertEquals(List.of("Movies", "Photos", "Library"), names(admin));
            admin.checkPageInBothSchemes("admin-apps");
            admin.screenshotLightAndDark("admin-apps");
            checkAt(admin, 390);
            admin.checkPageInBothSchemes("admin-apps-phone");
            admin.screenshotLightAndDark("admin-apps-phone");
            admin.resetViewport();

            // The admin's home page: every app, in order, the uploaded icon served by Latch.
            admin.driver.get(base + "/");
            admin.waitForPage(base + "/");
            assertEquals(List.of("Movies", "Photos", "Library"), tiles(admin));
            assertImageShown(admin, "#apps li:nth-child(2) img");
            assertFalse(admin.find(By.id("apps-add")).isDisplayed());

            // The viewer: greeted by name, shown only the apps their scopes open, each a plain link to the app.
            viewer.signIn(base, "vera", VIEWER_PASSWORD);
            assertEquals("Hello, Vera Valdés", viewer.text("greeting"));
            assertEquals("Signed in as vera, a viewer", viewer.text("who"));
            assertEquals(List.of("Movies", "Library"), tiles(viewer));
            var links = viewer.driver.findElements(By.cssSelector("#apps a"));
            assertEquals("https://films.example/web/", links.get(0).getDomAttribute("href"));
            assertEquals("https://library.example/", links.get(1).getDomProperty("href"));
            assertFalse(viewer.find(By.id("admin-link")).isDisplayed());
            assertTrue(viewer.find(By.id("account-link")).isDisplayed() && viewer.find(By.id("logout")).isDisplayed());
            viewer.checkPageInBothSchemes("home-apps");
            viewer.screenshotLightAndDark("home-apps");
            for (Browser b : List.of(admin, viewer)) {
                checkAt(b, 1100);
                checkAt(b, 390);
            }
            viewer.checkPageInBothSchemes("home-apps-phone");
            viewer.screenshotLightAndDark("home-apps-phone");
        });
    }

    @Test
    void aSignedInPersonWithNoAppsReadsAShortLineAndNoLinkToAdministration() {
        TestLatch.run(dataDir, latch -> {
            String adminToken = latch.setupAdmin();
            latch.createUser(adminToken, "vera", VIEWER_PASSWORD, "viewer");
            latch.http().postJson("/api/admin/apps", "{\"name\":\"Accounts\",\"url\":\"https://accounts.example\","
                    + "\"required_scope\":\"users.write\"}", "Authorization", Http.bearer(adminToken));
            String base = latch.http().base();
            viewer.signIn(base, "vera", VIEWER_PASSWORD);
            assertEquals(List.of(), tiles(viewer));
            assertEquals("No apps have been added here yet.", viewer.text("apps-empty"));
            assertFalse(viewer.find(By.id("apps-add")).isDisplayed(), "only admins are sent to add apps");
            checkAt(viewer, 390);
        });
    }

    private static void fillIn(String name, String url) {
        admin.type("app-name", name);
        admin.type("app-url", url);
    }

    private static void waitForStatus(String id, String expected) {
        admin.wait.withMessage(() -> id + " says: " + admin.text(id)).until(d -> expected.equals(d.findElement(By.id(id)).getText()));
    }

    private static WebElement item(String name) {
        return admin.find(By.cssSelector("#apps-list li[data-name='" + name + "']"));
    }

    private static WebElement button(String name, String action) {
        return admin.find(By.cssSelector("#apps-list li[data-name='" + name + "'] button[data-action='" + action + "']"));
    }

    private static List<String> names(Browser b) {
        var out = new ArrayList<String>();
        b.driver.findElements(APP_ITEMS).forEach(li -> out.add(li.getDomAttribute("data-name")));
        return out;
    }

    private static List<String> tiles(Browser b) {
        var out = new ArrayList<String>();
        b.driver.findElements(By.cssSelector("#apps .app-name")).forEach(n -> out.add(n.getText()));
        return out;
    }

    /** The image has loaded (a broken or refused one has no natural width). */
    private static void assertImageShown(Browser b, String css) {
        b.wait.withMessage(() -> css + " did not load").until(d -> Boolean.TRUE.equals(b.driver.executeScript(
                "const img = document.querySelector(arguments[0]); return !!img && img.complete && img.naturalWidth === 64;", css)));
    }

    /** {@link Browser#checkPage} in a window {@code width} px wide, a phone's below 600. */
    private static void checkAt(Browser b, int width) {
        b.viewport(width, width < 600 ? Browser.PHONE_HEIGHT : 1000, width < 600);
        b.checkPage(b.driver.getCurrentUrl() + " at " + width + " px");
    }

    /** The app named {@code name} as the admin API lists it. */
    private static JsonNode onServer(TestLatch latch, String[] asAdmin, String name) {
        for (JsonNode app : latch.http().get("/api/admin/apps", asAdmin).json().get("apps")) {
            if (app.get("name").asText().equals(name)) {
                return app;
            }
        }
        throw new AssertionError("no app " + name);
    }

    private static BufferedImage picture() {
        var image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(0x2266cc));
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.WHITE);
        g.fillOval(16, 16, 32, 32);
        g.dispose();
        return image;
    }
}
