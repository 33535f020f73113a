package latch.federation;

import io.javalin.http.Context;
import latch.access.ServerCredential;

/**
 * A route another Latch instance calls: it proves itself with a short-lived token signed by its own published key
 * ({@link PeerTokens}), checked against this instance's issuer registry. No secret is shared.
 */
public final class PeerCredential implements ServerCredential {
    static final String PEER = "latch.peer";
    private final PeerTokens tokens;

    public PeerCredential(PeerTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void verify(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        ctx.attribute(PEER, tokens.verify(token));
    }
}
