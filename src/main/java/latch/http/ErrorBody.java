package latch.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one shape of every error Latch answers. {@code detail} only where a client reads that field (the netplay
 * SFU logs it, as it did with the ROM manager); absent otherwise.
 */
public record ErrorBody(String error, String message, @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {
    public ErrorBody(String error, String message) {
        this(error, message, null);
    }
}
