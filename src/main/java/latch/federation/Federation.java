package latch.federation;

import latch.audit.AuditService;
import latch.change.ChangeFeed;
import latch.db.Database;
import latch.http.PublicOrigin;
import latch.http.TrustedProxies;
import latch.keys.PublishedKeys;
import latch.sfu.RoomService;

import java.time.Clock;
import java.time.Duration;

/**
 * Federation, wired: the issuer registry, the keys of trusted issuers, the tokens instances show each other, and
 * the rooms of peers. Wired before netplay, which it hands {@link IssuerKeys} and {@link PeerRooms}; its endpoints
 * are made after, with netplay's rooms ({@link #controller}).
 */
public record Federation(IssuerService issuers, IssuerKeys keys, PeerTokens tokens, PeerCredential peers, PeerRooms rooms) {
    /** Connect and read timeouts of every request to a peer: a slow peer costs a verify at most twice this. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** {@code ownIssuer}: this instance's {@code iss}; {@code publicUrl}: LATCH_PUBLIC_URL, empty when unset. */
    public static Federation wire(String ownIssuer, String publicUrl, PublishedKeys netplayKeys, Database db, ChangeFeed feed,
                                  AuditService audit, Clock clock) {
        var issuers = new IssuerService(new SqlIssuerStore(db), db, feed, audit, ownIssuer, publicUrl, clock);
        var fetch = new BoundedFetch(TIMEOUT, TIMEOUT);
        var keys = new IssuerKeys(issuers, fetch, feed, clock);
        var tokens = new PeerTokens(ownIssuer, netplayKeys, issuers, keys, clock);
        return new Federation(issuers, keys, tokens, new PeerCredential(tokens), new PeerRooms(issuers, tokens, fetch, clock));
    }

    public FederationController controller(RoomService netplayRooms, PublicOrigin origin, TrustedProxies proxies) {
        return new FederationController(issuers, keys, netplayRooms, origin, proxies);
    }
}
