package latch.http;

/** The one shape of every error Latch answers. */
public record ErrorBody(String error, String message) {}
