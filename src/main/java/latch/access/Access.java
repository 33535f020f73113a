package latch.access;

import io.javalin.security.RouteRole;

/** Who may call a route. Checked once, at routing, by {@link AccessGuard}. */
public enum Access implements RouteRole {
    /** Anyone, signed in or not. */
    PUBLIC,
    /** Any signed-in, enabled user. */
    AUTHENTICATED
}
