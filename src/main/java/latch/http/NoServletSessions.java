package latch.http;

import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Stands in for Jetty's servlet session handler, which Javalin always installs and Jetty cannot remove: Latch
 * keeps no servlet sessions (its sessions are signed tokens), so no request should pay for parsing cookies in
 * search of a JSESSIONID, and none is ever issued.
 */
public final class NoServletSessions extends SessionHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        return next != null && next.handle(request, response, callback);
    }
}
