package latch.access;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;

/**
 * A route called by another server rather than a person (the netplay SFU with its shared secret, a peer Latch
 * with a token signed by its own key). The guard runs this check instead of looking for a user's credential; it
 * throws to refuse.
 */
public interface ServerCredential extends RouteRole {
    void verify(Context ctx);
}
