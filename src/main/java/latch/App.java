package latch;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import latch.http.ApiError;
import latch.http.ErrorMapper;
import latch.http.Json;
import latch.http.SecurityHeaders;

import java.util.Set;

import static latch.access.Access.AUTHENTICATED;
import static latch.access.Access.PUBLIC;

/** The HTTP surface: every route, who may call it, and how errors look. Used by {@link Main} and the tests. */
public final class App {
    private App() {}

    public static Javalin create(Deps deps, Settings settings) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.staticFiles.add(files -> {
                files.hostedPath = "/assets";
                files.directory = "/web/assets";
                files.location = Location.CLASSPATH;
                files.roles = Set.of(PUBLIC);
            });
            ErrorMapper.install(config);

            var r = config.routes;
            r.before(ctx -> {
                SecurityHeaders.apply(ctx);
                refuseOversizedBody(ctx, settings.maxBodyBytes());
            });
            r.beforeMatched(deps.guard()::check);

            r.get("/", deps.pages().page("index"), PUBLIC);
            r.get("/login", deps.pages().page("login"), PUBLIC);
            r.get("/setup", deps.pages().page("setup"), PUBLIC);

            r.get("/api/health", deps.health()::health, PUBLIC);
            r.get("/api/setup/status", deps.setup()::status, PUBLIC);
            r.post("/api/setup/admin", deps.setup()::createAdmin, PUBLIC);

            r.post("/api/auth/login", deps.sessions()::login, PUBLIC);
            r.post("/api/auth/logout", deps.sessions()::logout, PUBLIC);
            r.post("/api/auth/refresh", deps.sessions()::refresh, AUTHENTICATED);
            r.get("/api/auth/me", deps.sessions()::me, AUTHENTICATED);
        });
    }

    /** Refuses by the declared length before reading; Javalin's own limit catches bodies sent without one. */
    private static void refuseOversizedBody(Context ctx, int max) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw new ApiError(413, "payload_too_large", "The request body is larger than " + max + " bytes.");
        }
    }
}
