package latch.monitoring;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.access.Credentials;
import latch.access.Principal;
import latch.access.ServerCredential;
import latch.http.ApiError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: a scraper presenting METRICS_TOKEN as its Bearer token, or a signed-in caller
 * holding {@code metrics.read} (admins). A Bearer token that is not METRICS_TOKEN is checked as a Latch credential,
 * so a wrong scrape token is a 401 like any other bad token.
 */
public final class ScrapeAccess implements ServerCredential {
    static final String SCOPE = "metrics.read";

    private final Optional<byte[]> token;
    private final AccessGuard guard;

    public ScrapeAccess(Optional<byte[]> token, AccessGuard guard) {
        this.token = token;
        this.guard = guard;
    }

    @Override
    public void verify(Context ctx) {
        String presented = Credentials.token(ctx);
        if (presented == null) {
            throw ApiError.unauthorized("Send METRICS_TOKEN as a Bearer token, or sign in as someone holding '" + SCOPE + "'.");
        }
        if (isScrapeToken(presented)) {
            return;
        }
        Principal principal = guard.authenticate(ctx, presented);
        if (!principal.has(SCOPE)) {
            throw new ApiError(403, "insufficient_scope", "This needs the scope '" + SCOPE + "'.");
        }
    }

    /** In constant time: MessageDigest.isEqual does not stop at the first differing byte. */
    private boolean isScrapeToken(String presented) {
        return token.isPresent() && MessageDigest.isEqual(token.get(), presented.getBytes(StandardCharsets.UTF_8));
    }
}
