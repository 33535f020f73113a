package latch.oauth;

import io.javalin.http.Context;
import latch.http.ApiError;
import latch.http.Json;
import latch.http.TrustedProxies;

import java.util.List;
import java.util.Map;

/** {@code POST /api/token}: form-encoded in, RFC 6749 JSON out; errors are rendered in RFC 6749 §5.2 form. */
public final class OAuthController {
    private final OAuthService oauth;
    private final TrustedProxies proxies;

    public OAuthController(OAuthService oauth, TrustedProxies proxies) {
        this.oauth = oauth;
        this.proxies = proxies;
    }

    public void token(Context ctx) {
        if (!ctx.isFormUrlencoded()) {
            throw ApiError.badRequest("invalid_request", "Send the parameters as application/x-www-form-urlencoded.");
        }
        Map<String, List<String>> form = ctx.formParamMap();
        String grantType = single(form, "grant_type");
        ctx.header("Pragma", "no-cache");
        if ("password".equals(grantType)) {
            Json.send(ctx, oauth.passwordGrant(required(form, "username"), required(form, "password"), single(form, "scope"), proxies.client(ctx)));
        } else if ("refresh_token".equals(grantType)) {
            Json.send(ctx, oauth.refreshGrant(required(form, "refresh_token"), single(form, "scope"), proxies.client(ctx)));
        } else if (grantType == null) {
            throw ApiError.badRequest("invalid_request", "grant_type is required.");
        } else {
            throw ApiError.badRequest("unsupported_grant_type", "Supported grant types: password, refresh_token.");
        }
    }

    /** RFC 6749 §3.2: parameters must not be repeated. */
    private static String single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiError.badRequest("invalid_request", name + " must not be repeated.");
        }
        return values.get(0);
    }

    private static String required(Map<String, List<String>> form, String name) {
        String v = single(form, name);
        if (v == null || v.isEmpty()) {
            throw ApiError.badRequest("invalid_request", name + " is required.");
        }
        return v;
    }
}
