package latch.access;

import latch.support.TestClock;
import latch.user.Role;
import latch.user.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PerIdentityTest {
    private static final User ALICE = new User(7, "alice", "$argon2id$...", Role.EDITOR, true, "Alice", "alice@example.com", null,
            Instant.EPOCH, 3);
    private static final Set<String> SCOPES = Set.of("me.read", "roms.read");

    private final AtomicInteger builds = new AtomicInteger();
    private final PerIdentity<String> answers = new PerIdentity<>(100, new TestClock());

    private String answer(User u, Set<String> scopes) {
        return answers.get(u, scopes, (user, s) -> {
            builds.incrementAndGet();
            return (user == null ? "anonymous" : user.username() + "/" + user.role() + "/" + user.revision())
                    + " " + ScopeCatalog.format(s);
        });
    }

    @Test
    void theSameRevisionOfAUserIsBuiltOnceEvenFromAnotherRecordOrScopeSet() {
        String first = answer(ALICE, SCOPES);
        var reread = new User(7, "alice", "$argon2id$...", Role.EDITOR, true, "Alice", "alice@example.com", null, Instant.EPOCH, 3);
        assertEquals(first, answer(reread, new HashSet<>(SCOPES)));
        assertEquals(1, builds.get(), "a re-read record of the same revision is the same identity");
    }

    @Test
    void anyChangeToTheUsersRowOrTheScopesMakesADifferentIdentity() {
        answer(ALICE, SCOPES);
        // Whatever changed (a field shown today, or one added later), the database gave the row a new revision.
        var renamed = new User(7, "alicia", "$argon2id$...", Role.EDITOR, true, "Alice", "alice@example.com", null, Instant.EPOCH, 4);
        assertEquals("alicia/EDITOR/4 me.read roms.read", answer(renamed, SCOPES));
        assertEquals("alice/EDITOR/3 me.read", answer(ALICE, Set.of("me.read")), "a narrower credential");
        var someoneElse = new User(8, "alice", "$argon2id$...", Role.EDITOR, true, "Alice", "alice@example.com", null, Instant.EPOCH, 3);
        assertEquals("alice/EDITOR/3 me.read roms.read", answer(someoneElse, SCOPES));
        assertEquals(4, builds.get());
    }

    @Test
    void anAnonymousVisitorIsKeyedByScopesAlone() {
        assertEquals("anonymous roms.read", answer(null, Set.of("roms.read")));
        assertEquals("anonymous roms.read", answer(null, Set.of("roms.read")));
        assertEquals("anonymous me.read roms.read", answer(null, SCOPES));
        assertEquals(2, builds.get());
    }
}
