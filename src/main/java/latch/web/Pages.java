package latch.web;

import io.javalin.http.Context;
import latch.http.Csrf;
import latch.http.JarText;

import java.util.HashMap;
import java.util.Map;

/** The browser pages, read from the jar once at start and served at friendly paths such as {@code /login}. */
public final class Pages {
    private final Map<String, String> pages = new HashMap<>();
    private final Csrf csrf;

    public Pages(Csrf csrf, String... names) {
        this.csrf = csrf;
        for (String name : names) {
            pages.put(name, JarText.read("/web/" + name + ".html"));
        }
    }

    public io.javalin.http.Handler page(String name) {
        String html = pages.get(name);
        if (html == null) {
            throw new IllegalArgumentException("no page " + name);
        }
        return ctx -> serve(ctx, html);
    }

    private void serve(Context ctx, String html) {
        // Every page hands out the CSRF cookie its scripts echo back on state-changing calls.
        csrf.ensureCookie(ctx);
        // no-store: the response sets a CSRF cookie, which no shared or back-forward cache should keep a copy of.
        ctx.header("Cache-Control", "no-store");
        ctx.html(html);
    }
}
