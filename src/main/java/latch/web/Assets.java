package latch.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import latch.http.ApiError;
import latch.http.ETags;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The pages' scripts, style sheet and icon, read from the jar once at start and served from memory at
 * {@code /assets/<name>}. Javalin's static-file handler would do the same, but mounting the jar as a file system
 * for it took about a third of Latch's start-up, for eleven small files.
 */
public final class Assets {
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    private final Map<String, Asset> assets = new HashMap<>();

    private record Asset(byte[] bytes, String type, String etag) {}

    public Assets(String... names) {
        for (String name : names) {
            byte[] bytes = load("/web/assets/" + name);
            assets.put(name, new Asset(bytes, typeOf(name), ETags.of(bytes)));
        }
    }

    public Handler handler() {
        return this::serve;
    }

    private void serve(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("name"));
        if (asset == null) {
            throw ApiError.notFound("There is nothing at this address.");
        }
        // Unversioned file names: browsers revalidate, so an upgrade never runs yesterday's scripts.
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        if (ETags.matches(ctx.header("If-None-Match"), asset.etag())) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(asset.type());
        ctx.result(asset.bytes());
    }

    private static String typeOf(String name) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            throw new IllegalArgumentException("no content type for asset " + name);
        }
        return type;
    }

    private static byte[] load(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("asset " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
