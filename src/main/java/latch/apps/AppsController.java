package latch.apps;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import latch.access.AccessGuard;
import latch.http.ApiError;
import latch.http.ETags;
import latch.http.Json;
import latch.http.TrustedProxies;

import java.util.List;

/** The app launcher over HTTP: the signed-in person's apps and their icons, and the list admins keep. */
public final class AppsController {
    record AppRequest(String name, String url, String icon, String requiredScope, Long position) {
        AppsService.Draft draft() {
            return new AppsService.Draft(name, url, icon, requiredScope, position);
        }
    }

    /** An app as the home page shows it; {@code icon} a symbol's name, or null and {@code icon_url} Latch's copy. */
    record AppView(long id, String name, String url, String icon, String iconUrl) {
        static AppView of(AppEntry a) {
            return new AppView(a.id(), a.name(), a.url(), a.symbol(), AppsController.iconUrl(a));
        }
    }

    /** An app as admins see it, with who sees it and where it stands. */
    record AdminAppView(long id, String name, String url, String icon, String iconUrl, String requiredScope, long position,
                        String createdAt, String updatedAt) {
        static AdminAppView of(AppEntry a) {
            return new AdminAppView(a.id(), a.name(), a.url(), a.symbol(), AppsController.iconUrl(a), a.requiredScope(), a.position(),
                    a.createdAt().toString(), a.updatedAt().toString());
        }
    }

    record AppsAnswer(List<?> apps) {}

    /**
     * An uploaded icon is a picture and never a page: if it is opened on its own, no script or plugin runs in
     * Latch's origin whatever its bytes hold, and other sites may not embed it (which would tell them who is signed in).
     */
    private static final String ICON_CSP = "default-src 'none'; sandbox";

    private final AppsService apps;
    private final TrustedProxies proxies;

    public AppsController(AppsService apps, TrustedProxies proxies) {
        this.apps = apps;
        this.proxies = proxies;
    }

    /** {@code GET /api/apps}: the apps this caller may open, in the launcher's order. */
    public void list(Context ctx) {
        Json.send(ctx, new AppsAnswer(apps.visibleTo(AccessGuard.principal(ctx)).stream().map(AppView::of).toList()));
    }

    /** {@code GET /api/apps/{id}/icon}: the uploaded image, revalidated by its ETag. */
    public void icon(Context ctx) {
        IconImage image = apps.icon(AccessGuard.principal(ctx), id(ctx));
        // Private: the answer depends on who asks. no-cache: a changed icon shows at the next visit.
        ctx.header("Cache-Control", "private, no-cache");
        ctx.header("ETag", image.etag());
        ctx.header("Content-Security-Policy", ICON_CSP);
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Content-Disposition", "inline; filename=\"app-icon." + image.extension() + "\"");
        if (ETags.matches(ctx.header("If-None-Match"), image.etag())) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(image.type());
        ctx.result(image.bytes());
    }

    /** {@code GET /api/admin/apps}: every app, whoever may see it. */
    public void listAll(Context ctx) {
        Json.send(ctx, new AppsAnswer(apps.all().stream().map(AdminAppView::of).toList()));
    }

    /** {@code POST /api/admin/apps}: 201 with the app, added at the end. */
    public void add(Context ctx) {
        var added = apps.add(AccessGuard.principal(ctx), proxies.client(ctx), Json.body(ctx, AppRequest.class).draft());
        Json.send(ctx.status(201), AdminAppView.of(added));
    }

    /** {@code PATCH /api/admin/apps/{id}}: the fields given change, the others stay. */
    public void update(Context ctx) {
        var req = Json.body(ctx, AppRequest.class);
        Json.send(ctx, AdminAppView.of(apps.update(AccessGuard.principal(ctx), proxies.client(ctx), id(ctx), req.draft())));
    }

    /** {@code PUT /api/admin/apps/{id}/icon}: the image as the raw body; its type is read from its bytes. */
    public void uploadIcon(Context ctx) {
        long id = id(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > IconImage.MAX_BYTES) {
            throw IconImage.tooLarge(declared);
        }
        Json.send(ctx, AdminAppView.of(apps.setIcon(AccessGuard.principal(ctx), proxies.client(ctx), id, ctx.bodyAsBytes())));
    }

    /** {@code DELETE /api/admin/apps/{id}}: 204. */
    public void remove(Context ctx) {
        apps.remove(AccessGuard.principal(ctx), proxies.client(ctx), id(ctx));
        ctx.status(204);
    }

    private static String iconUrl(AppEntry a) {
        // The image's tag in the address: a page that already showed the old image cannot keep showing it.
        return a.hasImage() ? "/api/apps/" + a.id() + "/icon?v=" + a.iconHash().replace("\"", "") : null;
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ApiError(404, "app_not_found", "There is no app with that id.");
        }
    }
}
