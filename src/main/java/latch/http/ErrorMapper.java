package latch.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import latch.db.DatabaseException;
import latch.redis.RedisUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Set;
import java.util.UUID;

/** The one place that turns exceptions and unmatched requests into {@code {"error","message"}} bodies. */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    /** Where errors are rendered the OAuth way ({@code error}, {@code error_description}; RFC 6749 §5.2). */
    public static final String OAUTH_TOKEN_PATH = "/api/token";
    /** The device flow's token endpoint answers as the token endpoint does (RFC 8628 §3.5 refers to RFC 6749 §5.2). */
    static final Set<String> OAUTH_PATHS = Set.of(OAUTH_TOKEN_PATH, "/api/auth/device/token");

    private static final String AS_PAGE = "latch.error-as-page";

    /**
     * Errors on this request are answered as a small page, not JSON: the request is a browser's navigation (the
     * return from an OpenID provider), and a person reads the answer.
     */
    public static void answerAsPage(Context ctx) {
        ctx.attribute(AS_PAGE, Boolean.TRUE);
    }

    public static void install(JavalinConfig config, RefusalListener listener) {
        config.routes.exception(ApiError.class, (e, ctx) -> {
            listener.refused(ctx, e);
            render(ctx, e);
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> render(ctx, fromJavalin(e.getStatus())));
        // One line per outage, not one per request: a database that is away fails every request that needs it.
        var databaseLog = new OncePerOutage();
        config.routes.exception(DatabaseException.class, (e, ctx) -> {
            if (!e.unavailable()) {
                unexpected(ctx, e);
                return;
            }
            if (databaseLog.due()) {
                log.error("the database is not answering ({}); requests that need it get 503 until it does", e.getMessage());
            }
            render(ctx, unavailable());
        });
        var redisLog = new OncePerOutage();
        config.routes.exception(RedisUnavailable.class, (e, ctx) -> {
            if (redisLog.due()) {
                log.error("Redis is not answering ({}); requests that need it get 503 until it does", e.getMessage());
            }
            render(ctx, away("redis_unavailable", "The shared cache is not answering; try again in a few seconds."));
        });
        config.routes.exception(Exception.class, (e, ctx) -> unexpected(ctx, e));

        // Statuses set by Jetty or Javalin without an exception (e.g. an unmatched path) still get a JSON body;
        // one an exception handler already answered is left alone (it used to be rendered a second time).
        for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
            config.routes.error(status, "*", ctx -> {
                if (!Json.answered(ctx) && (ctx.result() == null || ctx.result().isEmpty())) {
                    render(ctx, fromJavalin(status));
                }
            });
        }
    }

    /** True at most once per 30 s, for whichever thread gets there first. */
    private static final class OncePerOutage {
        private static final long EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        private final java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

        boolean due() {
            long now = System.nanoTime();
            long previous = last.get();
            return (previous == Long.MIN_VALUE || now - previous > EVERY_NANOS) && last.compareAndSet(previous, now);
        }
    }

    /** The answer while the database (or the change feed that keeps this node current) cannot be reached. */
    public static ApiError unavailable() {
        return away("database_unavailable", "The database is not answering; try again in a few seconds.");
    }

    /** A 503 for a server Latch needs that is away: the client may try again shortly. */
    private static ApiError away(String code, String message) {
        return new ApiError(503, code, message, java.util.Map.of("Retry-After", "5"));
    }

    private static void unexpected(Context ctx, Exception e) {
        // The reference ties the client's report to the server log without exposing internals.
        String reference = UUID.randomUUID().toString().substring(0, 8);
        // One line, no stack trace: the exception's type and where it was thrown are enough to find it,
        // and a trace can carry request data into the log.
        log.error("unhandled error [{}] on {} {}: {} at {}", reference, ctx.method(), ctx.path(), e.getClass().getName(), origin(e));
        render(ctx, new ApiError(500, "internal_error", "Something went wrong on the server (reference " + reference + ")."));
    }

    /** The innermost cause's first frame in Latch's code (or its first frame at all), with the causes' types. */
    static String origin(Throwable e) {
        var causes = new StringBuilder();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            causes.append(" caused by ").append(root.getClass().getName());
        }
        StackTraceElement where = null;
        for (StackTraceElement frame : root.getStackTrace()) {
            if (where == null || frame.getClassName().startsWith("latch.")) {
                where = frame;
                if (frame.getClassName().startsWith("latch.")) {
                    break;
                }
            }
        }
        return (where == null ? "unknown" : where.toString()) + causes;
    }

    public static void render(Context ctx, ApiError e) {
        e.headers().forEach(ctx::header);
        if (bodyUnread(ctx)) {
            // Refused before its body was read: Jetty closes such a connection after the answer, and a client told
            // nothing would send its next request into the closed socket. Saying so lets it open a fresh one.
            ctx.header("Connection", "close");
        }
        if (OAUTH_PATHS.contains(ctx.path())) {
            renderOAuth(ctx, e);
            return;
        }
        if (Boolean.TRUE.equals(ctx.attribute(AS_PAGE))) {
            ctx.header("Cache-Control", "no-store");
            // A page under /api: it gets the pages' policy, so its stylesheet loads.
            ctx.header("Content-Security-Policy", SecurityHeaders.CSP);
            ctx.status(e.status()).html(ProblemPage.render(e));
            return;
        }
        Json.send(ctx.status(e.status()), new ErrorBody(e.code(), e.getMessage(), e.detail()));
    }

    /** Whether the request carries a body that nothing has read (it was refused before any handler looked at it). */
    private static boolean bodyUnread(Context ctx) {
        var req = ctx.req();
        if (req.getContentLengthLong() == 0 || (req.getContentLengthLong() < 0 && req.getHeader("Transfer-Encoding") == null)) {
            return false;
        }
        try {
            return !req.getInputStream().isFinished();
        } catch (IllegalStateException | IOException e) {
            return false; // read through a reader (form parameters): consumed
        }
    }

    record OAuthErrorBody(String error, String errorDescription) {}

    /** The token endpoint speaks RFC 6749: a wrong password is invalid_grant, a malformed request invalid_request. */
    private static void renderOAuth(Context ctx, ApiError e) {
        int status = e.status();
        String code = e.code();
        switch (e.code()) {
            case "invalid_credentials": status = 400; code = "invalid_grant"; break;
            case "insufficient_scope": status = 400; code = "invalid_scope"; break;
            case "unsupported_media_type":
            case "invalid_json":
            case "password_too_long":
            case "bad_request": status = 400; code = "invalid_request"; break;
            case "busy": code = "temporarily_unavailable"; break;
            default: break;
        }
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx.status(status), new OAuthErrorBody(code, e.getMessage()));
    }

    static ApiError fromJavalin(int status) {
        switch (status) {
            case 400: return ApiError.badRequest("bad_request", "The request could not be understood.");
            case 401: return ApiError.unauthorized("Sign in first.");
            case 403: return ApiError.forbidden("forbidden", "You may not do this.");
            case 404: return ApiError.notFound("There is nothing at this address.");
            case 405: return new ApiError(405, "method_not_allowed", "This address does not accept that method.");
            case 413: return new ApiError(413, "payload_too_large", "The request body is too large.");
            case 415: return new ApiError(415, "unsupported_media_type", "Send the body as application/json.");
            case 503: return new ApiError(503, "unavailable", "The server is busy; try again shortly.");
            default:
                if (status >= 500) {
                    return new ApiError(status, "internal_error", "Something went wrong on the server.");
                }
                return new ApiError(status, "error", "The request was refused.");
        }
    }
}
