package latch.http;

import java.util.Map;

/**
 * A refusal with an HTTP status, a stable machine code and a sentence for people. Thrown from anywhere;
 * {@link ErrorMapper} renders it as {@code {"error": code, "message": message}}.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;
    private final String detail;

    public ApiError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiError(int status, String code, String message, Map<String, String> headers) {
        this(status, code, message, headers, null);
    }

    private ApiError(int status, String code, String message, Map<String, String> headers, String detail) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
        this.detail = detail;
    }

    public int status() { return status; }
    public String code() { return code; }
    public Map<String, String> headers() { return headers; }
    /** Null unless {@link #withDetail} set it. */
    public String detail() { return detail; }

    /** The same refusal, its body also carrying {@code "detail": detail} for clients that read that field. */
    public ApiError withDetail(String detail) {
        return new ApiError(status, code, getMessage(), headers, detail);
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, Map.of("WWW-Authenticate", "Bearer realm=\"latch\""));
    }

    public static ApiError invalidToken(String message) {
        return new ApiError(401, "invalid_token", message,
                Map.of("WWW-Authenticate", "Bearer realm=\"latch\", error=\"invalid_token\""));
    }

    public static ApiError forbidden(String code, String message) {
        return new ApiError(403, code, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    public static ApiError conflict(String code, String message) {
        return new ApiError(409, code, message);
    }
}
