package latch.http;

import io.javalin.http.Context;

/** Told about every refusal the error mapper renders, so security-relevant ones can be audited in one place. */
@FunctionalInterface
public interface RefusalListener {
    void refused(Context ctx, ApiError error);
}
