package latch.http;

import io.javalin.http.Context;

import java.util.Locale;

/**
 * Request bodies are UTF-8: JSON always is (RFC 8259 §8.1), and Latch's forms are sent by its own pages or by
 * clients that default to it. A body declaring another charset is refused before anything decodes it, so a
 * made-up name cannot reach {@code Charset.forName} deep inside body parsing and surface as a server error.
 */
public final class BodyCharset {
    private BodyCharset() {}

    /**
     * Only requests that may carry a body Latch reads: the forward-auth endpoints are GETs and receive the headers
     * of whatever the user sent the app, a form in windows-1252 included, which is none of Latch's business.
     */
    public static void require(Context ctx) {
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        // The raw header: Javalin's contentType() already tries to resolve the charset and throws on a made-up one.
        String charset = charsetOf(ctx.header("Content-Type"));
        if (charset != null && !charset.equals("utf-8") && !charset.equals("utf8") && !charset.equals("us-ascii")) {
            throw new ApiError(415, "unsupported_media_type", "Send the body as UTF-8 (charset=utf-8, or no charset at all).");
        }
    }

    /** The lower-case charset parameter of a Content-Type, without quotes; null when there is none. */
    static String charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String value = p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
