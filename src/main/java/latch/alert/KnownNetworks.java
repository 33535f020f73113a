package latch.alert;

import java.time.Instant;

/** The networks each user has signed in from. */
public interface KnownNetworks {
    enum Seen { KNOWN, FIRST_FOR_USER, NEW }

    /**
     * Remembers that {@code userId} signed in from {@code network}, in one statement: {@code KNOWN} if they had
     * before, {@code FIRST_FOR_USER} if it is the first network ever seen for them, else {@code NEW}.
     */
    Seen remember(long userId, String network, Instant now);
}
