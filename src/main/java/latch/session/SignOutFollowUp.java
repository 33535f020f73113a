package latch.session;

import java.util.Optional;

/**
 * Where a browser goes after Latch ended its session, when something else must end too: the OpenID provider's
 * session, with RP-initiated logout. Lets sign-in features hook sign-out without this package knowing them.
 */
@FunctionalInterface
public interface SignOutFollowUp {
    SignOutFollowUp NONE = sessionId -> Optional.empty();

    Optional<String> continueAt(String sessionId);
}
