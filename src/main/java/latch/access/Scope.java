package latch.access;

import io.javalin.security.RouteRole;

/** A permission such as {@code users.write}; routes name the scope they need, principals carry theirs. */
public record Scope(String name) implements RouteRole {
    public static Scope of(String name) {
        return new Scope(name);
    }
}
