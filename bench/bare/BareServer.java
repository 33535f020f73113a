import io.javalin.Javalin;

/**
 * The baseline for the /api/auth/me benchmark: Javalin with the same Jetty, Jackson and JVM flags as Latch,
 * serving one small JSON answer and doing nothing else. Run it from the latch jar, which contains Javalin.
 * Usage: java -cp target/latch.jar:target/bench-classes BareServer PORT
 */
public final class BareServer {
    record Bare(String status) {}

    private BareServer() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        var body = new Bare("ok");
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/bare", ctx -> ctx.json(body));
            // The same answer to a POST with a JSON body (read and dropped), for endpoints that are posted to.
            config.routes.post("/bare", ctx -> {
                ctx.bodyAsBytes();
                ctx.json(body);
            });
        });
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "bare-shutdown"));
        app.start("127.0.0.1", port);
    }
}
