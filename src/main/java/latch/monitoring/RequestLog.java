package latch.monitoring;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import latch.access.AccessGuard;
import latch.access.Principal;
import latch.http.ClientInfo;
import latch.http.TrustedProxies;
import latch.metrics.Metrics;
import latch.session.FailedSignIns;

import java.util.Set;

/**
 * One line and one metrics sample per answered request, and the line for a refused sign-in. A line names the route
 * template, never the path a client sent, and never the query string, a header or a body: tokens, cookies and
 * passwords travel there.
 */
public final class RequestLog implements FailedSignIns {
    /** Methods outside the route table's are counted as one, so a client cannot invent label values. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final String UNMATCHED = "unmatched";
    private static final int MAX_USERNAME = 64;

    private final LogSink sink;
    private final LogFormat format;
    private final Metrics metrics;
    private final TrustedProxies proxies;

    public RequestLog(LogSink sink, LogFormat format, Metrics metrics, TrustedProxies proxies) {
        this.sink = sink;
        this.format = format;
        this.metrics = metrics;
        this.proxies = proxies;
    }

    /** Javalin's request logger: after the answer, with the time Javalin measured. */
    public void answered(Context ctx, Float millis) {
        String method = method(ctx);
        String route = route(ctx);
        int status = ctx.statusCode();
        metrics.request(method, route, status, (long) (millis * 1_000_000f));
        if (!sink.infoEnabled()) {
            return;
        }
        String client = proxies.client(ctx).ip();
        Principal principal = AccessGuard.principalIfAny(ctx);
        long userId = principal == null || principal.user() == null ? -1 : principal.user().id();
        var line = new StringBuilder(128);
        if (format == LogFormat.JSON) {
            line.append("{\"event\":\"request\",\"method\":\"").append(method)
                    .append("\",\"route\":\"").append(route).append("\",\"status\":").append(status)
                    .append(",\"ms\":");
            appendMillis(line, millis);
            line.append(",\"client\":\"").append(client).append('"');
            if (userId >= 0) {
                line.append(",\"user_id\":").append(userId);
            }
            line.append('}');
        } else {
            line.append(method).append(' ').append(route).append(' ').append(status).append(' ');
            appendMillis(line, millis);
            line.append("ms client=").append(client);
            if (userId >= 0) {
                line.append(" user_id=").append(userId);
            }
        }
        sink.info(line.toString());
    }

    /**
     * {@code sign-in failed for user=<name> from=<address>} at WARN, the shape the README's fail2ban filter matches.
     * The name is what the client typed, so it is reduced to harmless characters: it cannot forge a second line or
     * a {@code from=} of its own.
     */
    @Override
    public void failed(String username, ClientInfo client) {
        String user = harmless(username);
        if (format == LogFormat.JSON) {
            sink.warn("{\"event\":\"sign_in_failed\",\"user\":\"" + user + "\",\"client\":\"" + client.ip() + "\"}");
        } else {
            sink.warn("sign-in failed for user=" + user + " from=" + client.ip());
        }
    }

    /** Two decimals without String.format, which allocates a formatter on every request. */
    private static void appendMillis(StringBuilder line, float millis) {
        long hundredths = Math.round(millis * 100.0);
        line.append(hundredths / 100).append('.');
        long rest = hundredths % 100;
        if (rest < 10) {
            line.append('0');
        }
        line.append(rest);
    }

    static String harmless(String username) {
        if (username == null || username.isEmpty()) {
            return "-";
        }
        var out = new StringBuilder(Math.min(username.length(), MAX_USERNAME));
        for (int i = 0; i < username.length() && out.length() < MAX_USERNAME; i++) {
            char c = username.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '@' || c == '+';
            out.append(plain ? c : '?');
        }
        return out.toString();
    }

    private static String method(Context ctx) {
        String m = ctx.req().getMethod();
        return METHODS.contains(m) ? m : "OTHER";
    }

    /** The template the request matched ({@code /api/users/{id}}), or "unmatched" for a 404 of an unknown path. */
    private static String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null ? UNMATCHED : endpoint.path;
    }
}
