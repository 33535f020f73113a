package latch.alert;

import latch.access.Principal;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.http.ApiError;
import latch.http.Cidr;
import latch.http.ClientInfo;
import latch.limit.LimitPolicy;
import latch.limit.RateLimiter;
import latch.user.User;
import latch.user.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;

/**
 * Anomalies flagged for an admin: raised by the features that notice them, stored, coalesced, listed and
 * acknowledged. Failed sign-ins are counted in {@link RateLimiter} buckets (in memory on one box, shared later),
 * so a burst is "the bucket ran dry within the window".
 */
public final class AlertService implements Alerts, SignInWatch {
    private static final Logger log = LoggerFactory.getLogger(AlertService.class);
    public static final int MAX_PAGE = 200;
    private static final int MAX_TEXT = 200;

    private final AlertStore store;
    private final KnownNetworks networks;
    private final UserDirectory users;
    private final RateLimiter counters;
    private final LimitPolicy failuresPerAccount;
    private final LimitPolicy failuresPerClient;
    private final AuditService audit;
    private final Clock clock;

    public AlertService(AlertStore store, KnownNetworks networks, UserDirectory users, RateLimiter counters,
                        AlertSettings settings, AuditService audit, ChangeFeed feed, Clock clock) {
        this.store = store;
        // An alert outlives the account it is about (the admin may still want it), but not the person's name.
        feed.within(Change.UserDeleted.class, (tx, c) -> store.forgetUser(tx, c.userId()));
        this.networks = networks;
        this.users = users;
        this.counters = counters;
        this.failuresPerAccount = new LimitPolicy("alert-failures-account", settings.failuresPerAccount(), settings.failureWindow());
        this.failuresPerClient = new LimitPolicy("alert-failures-client", settings.failuresPerClient(), settings.failureWindow());
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void raise(AlertKind kind, Long userId, String source, String detail) {
        String username = null;
        if (userId != null) {
            try {
                username = users.find(userId).map(User::username).orElse(null);
            } catch (RuntimeException e) {
                // the alert matters more than the name on it
            }
        }
        raise(kind, userId, username, source, detail);
    }

    private void raise(AlertKind kind, Long userId, String username, String source, String detail) {
        String src = clean(source);
        String text = clean(detail);
        String fingerprint = kind.wireName() + '|' + (userId == null ? "" : userId) + '|' + (src == null ? "" : src) + '|' + text;
        try {
            store.raise(kind, fingerprint, userId, username, src, text == null ? "" : text, clock.instant());
            log.warn("alert {} user={} source={}: {}", kind.wireName(), username, src, text);
        } catch (RuntimeException e) {
            log.error("could not record alert {}: {}", kind.wireName(), e.toString());
        }
    }

    @Override
    public void signedIn(long userId, String username, ClientInfo client) {
        String network = network(client.ip());
        try {
            if (networks.remember(userId, network, clock.instant()) == KnownNetworks.Seen.NEW) {
                raise(AlertKind.NEW_NETWORK, userId, username, network, "signed in from a network not seen for this account before");
            }
        } catch (RuntimeException e) {
            log.error("could not check the sign-in's network: {}", e.toString());
        }
    }

    @Override
    public void signInFailed(Long userId, String username, ClientInfo client) {
        if (userId != null && counters.countReachesLimit(failuresPerAccount, "user:" + userId)) {
            raise(AlertKind.SIGN_IN_FAILURES_FOR_ACCOUNT, userId, username, null, burst(failuresPerAccount));
        }
        if (counters.countReachesLimit(failuresPerClient, client.limitKey())) {
            raise(AlertKind.SIGN_IN_FAILURES_FROM_CLIENT, null, null, client.limitKey(), burst(failuresPerClient));
        }
    }

    /** {@code state}: {@code open} (the default) or {@code acknowledged}; newest occurrence first. */
    public List<Alert> list(String state, Integer limit) {
        boolean open;
        if (state == null || state.isEmpty() || state.equals("open")) {
            open = true;
        } else if (state.equals("acknowledged")) {
            open = false;
        } else {
            throw ApiError.badRequest("invalid_request", "state must be 'open' or 'acknowledged'.");
        }
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ApiError.badRequest("invalid_request", "limit must be between 1 and " + MAX_PAGE + ".");
        }
        return store.list(open, size);
    }

    /** Marks an alert seen; acknowledging one already acknowledged changes nothing. */
    public Alert acknowledge(Principal actor, long id, ClientInfo client) {
        String by = actor.isSystem() ? actor.systemName() : actor.user().username();
        var done = store.acknowledge(id, by, clock.instant());
        if (done.isEmpty()) {
            return store.find(id).orElseThrow(() -> new ApiError(404, "alert_not_found", "There is no alert " + id + "."));
        }
        Alert a = done.get();
        audit.record(AuditType.ALERT_ACKNOWLEDGED, Outcome.SUCCESS, actor, null, client, a.kind()
                + (a.username() == null ? "" : " for " + a.username()) + (a.source() == null ? "" : " from " + a.source()));
        return done.get();
    }

    /** How many alerts wait for an admin. */
    public long openCount() {
        return store.countOpen();
    }

    /**
     * The network a sign-in came from: the IPv4 /24 or the IPv6 /64 (what one household or host holds). The box
     * itself (loopback, IPv4 or IPv6) is one network, and so is the private LAN (RFC 1918, IPv6 unique-local and
     * link-local addresses): a browser that reaches Latch as localhost one day and 127.0.0.1 the next, or a phone
     * that moves between the home's IPv4 and IPv6 LAN addresses, is not news.
     */
    static String network(String ip) {
        byte[] bytes = Cidr.literal(ip);
        if (bytes == null) {
            return ip;
        }
        InetAddress address;
        try {
            address = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return ip;
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress() || (bytes.length == 16 && (bytes[0] & 0xFE) == 0xFC)) {
            return "local network";
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + ".0/24";
        }
        return Cidr.subscriberBlock(ip);
    }

    private static String burst(LimitPolicy policy) {
        long seconds = policy.window().toSeconds();
        return "at least " + policy.capacity() + " failed sign-ins within "
                + (seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " seconds");
    }

    /** Text from requests and tokens, made safe to store and show: no control characters, bounded. */
    private static String clean(String text) {
        if (text == null) {
            return null;
        }
        String s = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }
}
