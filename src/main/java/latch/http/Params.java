package latch.http;

import io.javalin.http.Context;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters parsed with clear 400s instead of exceptions. */
public final class Params {
    private Params() {}

    public static Integer integer(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid_request", name + " must be a whole number.");
        }
    }

    /** An ISO-8601 instant such as 2026-11-23T10:00:00Z, or Unix seconds. */
    public static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return v.chars().allMatch(Character::isDigit) && v.length() < 15 ? Instant.ofEpochSecond(Long.parseLong(v)) : Instant.parse(v);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiError.badRequest("invalid_request", name + " must be a time like 2026-11-23T10:00:00Z.");
        }
    }
}
