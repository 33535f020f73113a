package latch.http;

import io.javalin.http.Context;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query and path parameters parsed with clear 400s instead of exceptions. */
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

    /** The numeric path parameter {id}; anything else names nothing here, so it is a 404 saying {@code notFound}. */
    public static long id(Context ctx, String notFound) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.notFound(notFound);
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
