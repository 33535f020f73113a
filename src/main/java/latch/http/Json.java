package latch.http;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.http.ContentType;
import io.javalin.http.Context;

/** JSON in and out: snake_case on the wire, bodies parsed strictly enough to answer 400/415 clearly. */
public final class Json {
    private static final String ANSWERED = "latch.answered";

    private Json() {}

    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                // Unknown fields are ignored, never bound: a client cannot smuggle e.g. "role" into a request record.
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                // "scopes": [null] is refused here, once, rather than reaching every service as a null element.
                .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    }

    /**
     * Answers {@code body} as JSON, written as UTF-8 bytes straight to the response with its Content-Length. Javalin's
     * {@code ctx.json} builds a String, encodes it, wraps it in a stream and copies that through a fresh 8 KB buffer:
     * under C1 that was 70 to 80 µs of CPU per /api/auth/me, a third of its cost (BENCHMARKS.md, figure 4).
     * The response is complete once the bytes are written: set headers and cookies before calling this.
     */
    public static void send(Context ctx, Object body) {
        sendEncoded(ctx, encode(ctx, body));
    }

    /** {@code body} as the UTF-8 JSON bytes {@link #send} would answer, for answers worth keeping. */
    public static byte[] encode(Context ctx, Object body) {
        try {
            return mapperOf(ctx).writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Answers JSON bytes made by {@link #encode}; like {@link #send}, set headers and cookies first. */
    public static void sendEncoded(Context ctx, byte[] json) {
        if (answered(ctx)) {
            // A second answer to one request is a bug in the code that wrote it, never something to hide.
            throw new IllegalStateException("the answer to " + ctx.method() + " " + ctx.path() + " was already sent");
        }
        ctx.attribute(ANSWERED, Boolean.TRUE);
        try {
            ctx.contentType(ContentType.APPLICATION_JSON);
            ctx.res().setContentLength(json.length);
            ctx.res().getOutputStream().write(json);
        } catch (org.eclipse.jetty.io.EofException clientGone) {
            // The client hung up before the answer was written: there is no one left to tell, and nothing to log.
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether this request has been answered already, by {@link #send} or anything else that committed a response. */
    public static boolean answered(Context ctx) {
        return ctx.attribute(ANSWERED) != null || ctx.res().isCommitted();
    }

    private static ObjectMapper mapperOf(Context ctx) {
        return ((io.javalin.json.JavalinJackson) ctx.jsonMapper()).getMapper();
    }

    /** The request body as {@code type}; 415 unless it is JSON, 400 unless it parses into an object. */
    public static <T> T body(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "Send the body as application/json.");
        }
        String body = ctx.body();
        if (body.isBlank()) {
            throw ApiError.badRequest("invalid_json", "The request body is empty; send a JSON object.");
        }
        ObjectMapper mapper = mapperOf(ctx);
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw ApiError.badRequest("invalid_json", "The request body must be a single JSON object.");
            }
            return value;
        } catch (MismatchedInputException e) {
            String field = field(e);
            if (field == null) {
                throw ApiError.badRequest("invalid_json", "The request body must be a single JSON object.");
            }
            if (e instanceof InvalidNullException) {
                throw ApiError.badRequest("invalid_request", "The field '" + field + "' must not contain null.");
            }
            throw ApiError.badRequest("invalid_request", "The field '" + field + "' has the wrong type.");
        } catch (JsonProcessingException e) {
            // Never echo the parser's message: it quotes the body, which may hold a password.
            throw ApiError.badRequest("invalid_json", "The request body is not valid JSON.");
        }
    }

    /** The innermost named field of the error's path ("scopes" for scopes[0]); null for the body itself. */
    private static String field(MismatchedInputException e) {
        String field = null;
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                field = reference.getFieldName();
            }
        }
        return field;
    }

    /** A required, non-blank string field. */
    public static String required(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "The field '" + field + "' is required.");
        }
        return value;
    }
}
