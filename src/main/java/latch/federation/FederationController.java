package latch.federation;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.ApiError;
import latch.http.Json;
import latch.http.PublicOrigin;
import latch.http.TrustedProxies;
import latch.sfu.RoomService;

import java.time.Instant;
import java.util.List;

/** Federation over HTTP: the issuer registry for admins, discovery for anyone, this instance's rooms for peers. */
public final class FederationController {
    record IssuerRequest(String issuer, String jwksUrl, List<String> algorithms, Boolean enabled, Boolean listRooms,
                         String note) {
        IssuerService.Draft draft() {
            return new IssuerService.Draft(issuer, jwksUrl, algorithms, enabled, listRooms, note);
        }
    }

    /** An entry as admins see it, with how fetching its keys went in this process. */
    record IssuerView(long id, String issuer, String jwksUrl, List<String> algorithms, boolean enabled, boolean listRooms,
                      String note, String createdAt, String updatedAt, String lastKeyFetchAt, String lastErrorAt,
                      String lastError, List<String> kids) {
        static IssuerView of(TrustedIssuer i, IssuerKeys.Status s) {
            return new IssuerView(i.id(), i.issuer(), i.jwksUrl(), i.algorithms(), i.enabled(), i.listRooms(), i.note(),
                    iso(i.createdAt()), iso(i.updatedAt()), iso(s.lastFetchedAt()), iso(s.lastErrorAt()), s.lastError(), s.kids());
        }

        private static String iso(Instant t) {
            return t == null ? null : t.toString();
        }
    }

    record IssuersAnswer(List<IssuerView> issuers) {}

    /** What {@code /.well-known/latch-configuration} says, so that peers can find this instance's parts. */
    record Configuration(String issuer, String jwksUri, List<String> tokenTypes, String sfuTokenEndpoint,
                         String federationRoomsEndpoint) {}

    record PeerRoomsAnswer(String issuer, List<?> rooms) {}

    private final IssuerService issuers;
    private final IssuerKeys keys;
    private final RoomService rooms;
    private final PublicOrigin origin;
    private final TrustedProxies proxies;

    public FederationController(IssuerService issuers, IssuerKeys keys, RoomService rooms, PublicOrigin origin,
                                TrustedProxies proxies) {
        this.issuers = issuers;
        this.keys = keys;
        this.rooms = rooms;
        this.origin = origin;
        this.proxies = proxies;
    }

    /** {@code GET /api/admin/issuers}. */
    public void list(Context ctx) {
        Json.send(ctx, new IssuersAnswer(issuers.list().stream().map(this::view).toList()));
    }

    /** {@code POST /api/admin/issuers}: 201 with the entry and its {@code id}. */
    public void add(Context ctx) {
        var added = issuers.add(AccessGuard.principal(ctx), proxies.client(ctx), Json.body(ctx, IssuerRequest.class).draft());
        Json.send(ctx.status(201), view(added));
    }

    /** {@code PATCH /api/admin/issuers/{id}}: the fields given change, the others stay. */
    public void update(Context ctx) {
        var req = Json.body(ctx, IssuerRequest.class);
        Json.send(ctx, view(issuers.update(AccessGuard.principal(ctx), proxies.client(ctx), id(ctx), req.draft())));
    }

    /** {@code DELETE /api/admin/issuers/{id}}: 204; its keys are dropped at once, in every process. */
    public void remove(Context ctx) {
        issuers.remove(AccessGuard.principal(ctx), proxies.client(ctx), id(ctx));
        ctx.status(204);
    }

    /** {@code GET /.well-known/latch-configuration}: absolute URLs, from LATCH_PUBLIC_URL or the request's origin. */
    public void configuration(Context ctx) {
        String base = origin.of(ctx);
        ctx.header("Cache-Control", "public, max-age=300");
        Json.send(ctx, new Configuration(issuers.ownIssuer(), base + "/.well-known/jwks.json", List.of("sfu:read", "sfu:write"),
                base + "/api/sfu/token", base + PeerRooms.PATH));
    }

    /** {@code GET /api/federation/rooms}, for a trusted peer ({@link PeerCredential}): this instance's own rooms. */
    public void rooms(Context ctx) {
        Json.send(ctx, new PeerRoomsAnswer(issuers.ownIssuer(), rooms.listOwn().rooms()));
    }

    private IssuerView view(TrustedIssuer i) {
        return IssuerView.of(i, i.enabled() ? keys.status(i.issuer()) : IssuerKeys.Status.NONE);
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ApiError(404, "issuer_not_found", "There is no trusted issuer with that id.");
        }
    }
}
