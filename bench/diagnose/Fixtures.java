import latch.change.ChangeFeed;
import latch.db.Tx;
import latch.token.FixedKey;
import latch.token.TokenProfile;
import latch.token.TokenService;
import latch.token.TokenType;
import latch.user.Role;
import latch.user.User;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** What the diagnose programs share: a TokenService as Main builds it (but on a fixed key, no database), and a user. */
final class Fixtures {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final String ISSUER = "latch";

    private Fixtures() {}

    /** A change feed that never fires: nothing rotates or resyncs while a program runs. */
    static final ChangeFeed NO_FEED = new ChangeFeed() {
        @Override
        public void publish(Tx tx, latch.change.Change change) {}

        @Override
        public <T extends latch.change.Change> void onCommitted(Class<T> type, Consumer<? super T> listener) {}

        @Override
        public <T extends latch.change.Change> void within(Class<T> type, BiConsumer<Tx, ? super T> reaction) {}

        @Override
        public void poll() {}
    };

    /** Session and access tokens as Main.java profiles them; FixedKey (LATCH_AUTH_SECRET_KEY) stands in for the KeyRing. */
    static TokenService tokens(Clock clock) {
        var key = new FixedKey(SECRET);
        return new TokenService(List.of(
                new TokenProfile(TokenType.SESSION, ISSUER, Duration.ofDays(30), Set.of("HS256"), key),
                new TokenProfile(TokenType.ACCESS, ISSUER, Duration.ofMinutes(15), Set.of("HS256"), key)), ISSUER, NO_FEED, clock);
    }

    static User admin(Instant now) {
        return new User(1, "admin", null, Role.ADMIN, true, "Admin", "admin@example.com", "admin", now, 7);
    }
}
