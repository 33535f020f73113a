package latch.http;

import io.javalin.http.Context;

import java.util.Enumeration;
import java.util.List;

/**
 * Works out the client's address and scheme. Forwarded headers are believed only when the socket peer is one
 * of the configured proxies; otherwise anyone could claim any address and dodge per-IP limits.
 */
public final class TrustedProxies {
    private static final String ATTRIBUTE = "latch.client";
    private final List<Cidr> proxies;

    public TrustedProxies(List<Cidr> proxies) {
        this.proxies = List.copyOf(proxies);
    }

    public ClientInfo client(Context ctx) {
        ClientInfo cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        String peer = ctx.req().getRemoteAddr();
        byte[] peerAddress = Cidr.literal(peer);
        boolean viaProxy = peerAddress != null && isTrusted(peerAddress);
        String ip = viaProxy ? Cidr.canonical(forwardedFor(peer, allLines(ctx, "X-Forwarded-For")))
                : peerAddress == null ? peer : Cidr.format(peerAddress);
        boolean https = ctx.req().isSecure() || (viaProxy && "https".equalsIgnoreCase(lastValue(allLines(ctx, "X-Forwarded-Proto"))));
        ClientInfo info = new ClientInfo(ip, ctx.userAgent(), https, viaProxy);
        ctx.attribute(ATTRIBUTE, info);
        return info;
    }

    /**
     * Whether the request reached Latch over HTTPS, directly or per a trusted proxy, for headers every answer
     * carries.
     */
    public boolean isHttps(Context ctx) {
        ClientInfo cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached.https();
        }
        if (ctx.req().isSecure()) {
            return true;
        }
        // Worked out in full and kept for the request: a request a proxy forwards needs its client address anyway.
        return ctx.header("X-Forwarded-Proto") != null && client(ctx).https();
    }

    public boolean isTrusted(String address) {
        byte[] bytes = Cidr.literal(address);
        return bytes != null && isTrusted(bytes);
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr proxy : proxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Right to left through X-Forwarded-For, skipping trusted hops: the first untrusted address is the client. */
    String forwardedFor(String peer, String header) {
        if (header == null || header.isBlank()) {
            return peer;
        }
        String[] hops = header.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (Cidr.literal(hop) == null) {
                return client; // garbage left of our proxies came from the client: stop at the last address we trust
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    /**
     * Every line of a header, in order, as one comma-separated list. A proxy may add its own line rather than
     * append to the client's (HAProxy's {@code option forwardfor}), so the first line alone can be a forgery.
     */
    private static String allLines(Context ctx, String name) {
        Enumeration<String> lines = ctx.req().getHeaders(name);
        if (lines == null || !lines.hasMoreElements()) {
            return null;
        }
        String first = lines.nextElement();
        if (!lines.hasMoreElements()) {
            return first; // the usual case, without building a list
        }
        var all = new StringBuilder(first);
        while (lines.hasMoreElements()) {
            all.append(',').append(lines.nextElement());
        }
        return all.toString();
    }

    /** The last element of the last line: the one the nearest proxy wrote. */
    private static String lastValue(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.lastIndexOf(',');
        return (comma < 0 ? header : header.substring(comma + 1)).trim();
    }
}
