package latch.http;

import io.javalin.http.Context;

/**
 * Where people reach Latch, for links it hands out (invites, device pairing): {@code LATCH_PUBLIC_URL} when set,
 * else the scheme and host of the request (the scheme as a trusted proxy reports it).
 */
public final class PublicOrigin {
    private final String publicUrl;
    private final TrustedProxies proxies;

    public PublicOrigin(String publicUrl, TrustedProxies proxies) {
        this.publicUrl = publicUrl;
        this.proxies = proxies;
    }

    public String of(Context ctx) {
        if (!publicUrl.isEmpty()) {
            return publicUrl;
        }
        return (proxies.client(ctx).https() ? "https" : "http") + "://" + ctx.host();
    }
}
