package latch.sfu;

import latch.token.RandomSecrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger in this process's memory: about 70 bytes per outstanding token (a 128-bit digest of issuer and
 * {@code jti}, the expiry, and the map's node), and every state change one compare-and-set on a
 * {@link ConcurrentHashMap}. Empty after a restart: the tokens minted before are refused (fail closed).
 */
public final class LocalWriteTokenLedger implements WriteTokenLedger {
    private enum State { UNUSED, USED }

    /** Equal by digest alone; carries its expiry for the sweep. */
    private static final class Marker {
        final long high;
        final long low;
        final long expiresAtSecond;

        Marker(long high, long low, long expiresAtSecond) {
            this.high = high;
            this.low = low;
            this.expiresAtSecond = expiresAtSecond;
        }

        static Marker of(String issuer, String jti, long expiresAtSecond) {
            var b = ByteBuffer.wrap(RandomSecrets.digest((issuer + '\n' + jti).getBytes(StandardCharsets.UTF_8)));
            return new Marker(b.getLong(), b.getLong(), expiresAtSecond);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Marker m && m.high == high && m.low == low;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(high);
        }
    }

    private final ConcurrentHashMap<Marker, State> markers = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Instant complete;

    public LocalWriteTokenLedger(Clock clock) {
        this.clock = clock;
        this.complete = clock.instant();
    }

    @Override
    public void issue(String issuer, String jti, Instant expiresAt) {
        markers.put(Marker.of(issuer, jti, expiresAt.getEpochSecond()), State.UNUSED);
    }

    @Override
    public Use consume(String issuer, String jti) {
        Marker key = Marker.of(issuer, jti, 0);
        if (markers.replace(key, State.UNUSED, State.USED)) {
            return Use.OK;
        }
        return markers.containsKey(key) ? Use.ALREADY_USED : Use.NOT_FOUND;
    }

    @Override
    public Use peek(String issuer, String jti) {
        State state = markers.get(Marker.of(issuer, jti, 0));
        return state == null ? Use.NOT_FOUND : state == State.USED ? Use.ALREADY_USED : Use.OK;
    }

    @Override
    public Use consumeForeign(String issuer, String jti, Instant expiresAt) {
        return markers.putIfAbsent(Marker.of(issuer, jti, expiresAt.getEpochSecond()), State.USED) == null
                ? Use.OK : Use.ALREADY_USED;
    }

    @Override
    public boolean usedForeign(String issuer, String jti) {
        return markers.containsKey(Marker.of(issuer, jti, 0));
    }

    @Override
    public Instant complete() {
        return complete;
    }

    @Override
    public int sweep() {
        // A token is refused past its expiry (plus the allowed skew) anyway; its marker only has to outlive that.
        long before = clock.instant().minus(KEPT_PAST_EXPIRY).getEpochSecond();
        int[] n = {0};
        markers.keySet().removeIf(m -> {
            boolean gone = m.expiresAtSecond < before;
            if (gone) {
                n[0]++;
            }
            return gone;
        });
        return n[0];
    }

    @Override
    public int size() {
        return markers.size();
    }
}
