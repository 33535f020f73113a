package latch.web;

import io.javalin.router.Endpoint;
import io.javalin.http.HandlerType;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import latch.App;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/openapi.json is a valid OpenAPI 3.1 document that describes exactly the routes the app registers. */
class OpenApiTest {
    /** Pages and their files are for browsers, not part of the API. */
    private static final Set<String> PAGES = Set.of("/", "/login", "/setup", "/register", "/account", "/admin", "/pair",
            "/reset", "/forgot", "/assets/{name}");

    private static final Set<HandlerType> METHODS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST,
            HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

    @TempDir
    Path dir;

    @Test
    void theDescriptionIsValidOpenApiAndMatchesTheRoutes() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().get("/api/openapi.json");
            assertEquals(200, res.status());
            assertTrue(res.header("Content-Type").orElse("").startsWith("application/json"));

            var options = new ParseOptions();
            options.setResolve(true);
            var parsed = new OpenAPIV3Parser().readContents(res.body(), null, options);
            assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), "not valid OpenAPI: " + parsed.getMessages());
            var api = parsed.getOpenAPI();
            assertNotNull(api);
            assertEquals("3.1.0", api.getOpenapi());

            var described = new TreeSet<String>();
            api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                    .forEach(method -> described.add(method.name() + " " + path)));
            var registered = new TreeSet<String>();
            for (var entry : App.create(latch.deps(), latch.settings()).unsafe.internalRouter.allHttpHandlers()) {
                Endpoint e = entry.endpoint;
                if (!METHODS.contains(e.method) || PAGES.contains(e.path)
                        || (e.method == HandlerType.HEAD && !described.contains("HEAD " + e.path))) {
                    continue; // filters, pages, and a GET's HEAD twin (described by its GET)
                }
                registered.add(e.method.name().toUpperCase(Locale.ROOT) + " " + e.path);
            }
            var undescribed = new TreeSet<>(registered);
            undescribed.removeAll(described);
            var unknown = new TreeSet<>(described);
            unknown.removeAll(registered);
            assertEquals(Set.of(), undescribed, "routes to describe in src/main/resources/openapi.yaml");
            assertEquals(Set.of(), unknown, "described routes the app does not have");
        });
    }
}
