package latch.access;

import latch.user.Role;
import latch.user.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PerIdentityTest {
    private static final User ALICE = new User(7, "alice", "$argon2id$...", Role.EDITOR, true, "Alice", "alice@example.com",
            Instant.EPOCH);
    private static final Set<String> SCOPES = Set.of("me.read", "roms.read");

    private final AtomicInteger builds = new AtomicInteger();
    private final PerIdentity<String> answers = new PerIdentity<>(100);

    private String answer(User u, Set<String> scopes) {
        return answers.get(u, scopes, (user, s) -> {
            builds.incrementAndGet();
            return (user == null ? "anonymous" : user.username() + "/" + user.role() + "/" + user.displayName() + "/" + user.email())
                    + " " + ScopeCatalog.format(s);
        });
    }

    @Test
    void theSameIdentityIsBuiltOnceEvenFromAnotherEqualRecordOrScopeSet() {
        String first = answer(ALICE, SCOPES);
        var reloaded = new User(7, "alice", "$argon2id$rehashed", Role.EDITOR, true, "Alice", "alice@example.com", Instant.now());
        assertEquals(first, answer(reloaded, new HashSet<>(SCOPES)));
        assertEquals(1, builds.get(), "a new password hash or a re-read record is the same identity");
    }

    @Test
    void everyShownFieldAndTheScopesMakeADifferentIdentity() {
        answer(ALICE, SCOPES);
        List<UnaryOperator<User>> edits = List.of(
                u -> new User(8, u.username(), u.passwordHash(), u.role(), true, u.displayName(), u.email(), u.createdAt()),
                u -> new User(u.id(), "alicia", u.passwordHash(), u.role(), true, u.displayName(), u.email(), u.createdAt()),
                u -> new User(u.id(), u.username(), u.passwordHash(), Role.VIEWER, true, u.displayName(), u.email(), u.createdAt()),
                u -> new User(u.id(), u.username(), u.passwordHash(), u.role(), true, "Al", u.email(), u.createdAt()),
                u -> new User(u.id(), u.username(), u.passwordHash(), u.role(), true, u.displayName(), null, u.createdAt()));
        for (var edit : edits) {
            User changed = edit.apply(ALICE);
            int before = builds.get();
            String answer = answer(changed, SCOPES);
            assertEquals(before + 1, builds.get(), "rebuilt for " + changed);
            assertEquals(changed.username() + "/" + changed.role() + "/" + changed.displayName() + "/" + changed.email()
                    + " me.read roms.read", answer);
        }
        assertEquals("alice/EDITOR/Alice/alice@example.com me.read", answer(ALICE, Set.of("me.read")), "a narrower credential");
    }

    @Test
    void anAnonymousVisitorIsKeyedByScopesAlone() {
        assertEquals("anonymous roms.read", answer(null, Set.of("roms.read")));
        assertEquals("anonymous roms.read", answer(null, Set.of("roms.read")));
        assertEquals("anonymous me.read roms.read", answer(null, SCOPES));
        assertEquals(2, builds.get());
    }
}
