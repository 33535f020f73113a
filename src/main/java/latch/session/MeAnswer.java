package latch.session;

import io.javalin.http.Context;
import latch.access.PerIdentity;
import latch.access.ScopeCatalog;
import latch.http.Json;
import latch.user.User;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The caller's view of themselves ({@code GET /api/auth/me}, and the answer to a profile change). Apps ask on every
 * page load and the answer changes only with the identity, so its encoded body is kept per identity.
 */
public final class MeAnswer {
    record Me(long id, String username, String role, String displayName, String email, String netplayUsername,
              List<String> scopes) {}

    record MeResponse(Me user) {}

    private final PerIdentity<byte[]> bodies;

    public MeAnswer(Clock clock) {
        this.bodies = new PerIdentity<>(4096, clock);
    }

    public void send(Context ctx, User u, Set<String> scopes) {
        Json.sendEncoded(ctx, bodies.get(u, scopes, (user, held) -> Json.encode(ctx,
                new MeResponse(new Me(user.id(), user.username(), user.role().wireName(), user.displayName(), user.email(),
                        user.netplayUsername(), ScopeCatalog.sorted(held))))));
    }
}
