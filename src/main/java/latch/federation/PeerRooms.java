package latch.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import latch.http.Json;
import latch.sfu.RemoteRooms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms of trusted instances whose {@code list_rooms} is on, asked for at {@code <issuer>/api/federation/rooms}
 * with a {@link PeerTokens} token, all peers at once, each answer kept {@link #KEEP} so a busy room list does not
 * become a flood of requests. A peer that fails is left out (and kept out for {@link #KEEP}); its first failure in
 * a row is logged, not each one.
 */
public final class PeerRooms implements RemoteRooms {
    private static final Logger log = LoggerFactory.getLogger(PeerRooms.class);
    static final Duration KEEP = Duration.ofSeconds(5);
    static final String PATH = "/api/federation/rooms";
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;
    private static final int MAX_ROOMS_PER_PEER = 1000;

    /** A peer's last answer (empty after a failure), for the issuer entry it was asked as. */
    private record Answer(TrustedIssuer entry, List<ObjectNode> rooms, Instant at) {}

    private final IssuerService registry;
    private final PeerTokens tokens;
    private final BoundedFetch fetch;
    private final Clock clock;
    private final ObjectMapper json = Json.mapper();
    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();
    /** Issuers whose last ask failed: their next failure is not logged again. */
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();

    public PeerRooms(IssuerService registry, PeerTokens tokens, BoundedFetch fetch, Clock clock) {
        this.registry = registry;
        this.tokens = tokens;
        this.fetch = fetch;
        this.clock = clock;
    }

    @Override
    public List<Listing> rooms() {
        Instant now = clock.instant();
        var out = new LinkedHashMap<String, List<ObjectNode>>();
        var pending = new LinkedHashMap<TrustedIssuer, CompletableFuture<BoundedFetch.Answer>>();
        for (TrustedIssuer entry : registry.list()) {
            if (!entry.enabled() || !entry.listRooms()) {
                continue;
            }
            Answer kept = answers.get(entry.issuer());
            if (kept != null && kept.entry().equals(entry) && now.isBefore(kept.at().plus(KEEP))) {
                out.put(entry.issuer(), kept.rooms());
                continue;
            }
            Optional<URI> endpoint = endpoint(entry.issuer());
            if (endpoint.isEmpty()) {
                continue;
            }
            try {
                pending.put(entry, fetch.start(endpoint.get(), MAX_ANSWER_BYTES, "Authorization",
                        "Bearer " + tokens.mint(entry.issuer())));
            } catch (RuntimeException e) {
                failed(entry, now, "cannot ask: " + e.getClass().getSimpleName());
            }
        }
        long deadline = fetch.deadline();
        for (var ask : pending.entrySet()) {
            TrustedIssuer entry = ask.getKey();
            try {
                List<ObjectNode> rooms = parse(fetch.await(ask.getValue(), deadline, MAX_ANSWER_BYTES).body());
                answers.put(entry.issuer(), new Answer(entry, rooms, now));
                if (failing.remove(entry.issuer()) != null) {
                    log.info("trusted issuer {} lists its rooms again", entry.issuer());
                }
                out.put(entry.issuer(), rooms);
            } catch (BoundedFetch.Failed e) {
                failed(entry, now, e.getMessage());
            }
        }
        // In registry order, whatever order the answers came in.
        var listings = new ArrayList<Listing>();
        for (TrustedIssuer entry : registry.list()) {
            List<ObjectNode> rooms = out.get(entry.issuer());
            if (rooms != null && !rooms.isEmpty()) {
                listings.add(new Listing(entry.issuer(), rooms));
            }
        }
        return listings;
    }

    private void failed(TrustedIssuer entry, Instant now, String why) {
        answers.put(entry.issuer(), new Answer(entry, List.of(), now));
        if (failing.put(entry.issuer(), Boolean.TRUE) == null) {
            log.warn("trusted issuer {} did not list its rooms: {}; left out until it answers", entry.issuer(), why);
        }
    }

    /** {@code {"rooms": [ {...}, ... ]}}; anything else is a failure of that peer, never of this listing. */
    private List<ObjectNode> parse(byte[] body) throws BoundedFetch.Failed {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new BoundedFetch.Failed("the answer is not JSON");
        }
        JsonNode rooms = root == null ? null : root.get("rooms");
        if (rooms == null || !rooms.isArray()) {
            throw new BoundedFetch.Failed("the answer has no rooms list");
        }
        var out = new ArrayList<ObjectNode>();
        for (JsonNode room : rooms) {
            if (out.size() >= MAX_ROOMS_PER_PEER) {
                break;
            }
            if (room instanceof ObjectNode o) {
                out.add(o);
            }
        }
        return List.copyOf(out);
    }

    static Optional<URI> endpoint(String issuer) {
        return IssuerService.httpUrl(issuer).map(u -> URI.create((issuer.endsWith("/")
                ? issuer.substring(0, issuer.length() - 1) : issuer) + PATH));
    }
}
