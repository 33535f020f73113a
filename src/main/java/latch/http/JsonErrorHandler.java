package latch.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Requests Jetty refuses before Javalin sees them (a header block over the limit, a URI too long or not valid)
 * are answered with the same {@code {"error","message"}} body as everything else, not Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper MAPPER = Json.mapper();

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(body(status));
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                     Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body(status)), callback);
    }

    static byte[] body(int status) {
        ApiError e = switch (status) {
            case 414 -> new ApiError(414, "uri_too_long", "The address is too long.");
            case 431 -> new ApiError(431, "headers_too_large", "The request headers are too large.");
            default -> ErrorMapper.fromJavalin(status);
        };
        try {
            return MAPPER.writeValueAsBytes(new ErrorBody(e.code(), e.getMessage()));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
