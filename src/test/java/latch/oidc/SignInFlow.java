package latch.oidc;

import latch.support.OpenIdProvider;
import latch.support.Http;
import latch.support.TestLatch;

import java.net.URI;
import java.util.Optional;

/** Plays a browser through a sign-in: Latch's start, the provider's authorization, Latch's callback. */
final class SignInFlow {
    /** What the callback answered, and the session cookie it set, if any. */
    record Result(Http.Response callback, Optional<String> session) {
        int status() {
            return callback.status();
        }

        String location() {
            return callback.header("Location").orElse(null);
        }

        String token() {
            return session.orElseThrow(() -> new AssertionError("not signed in: " + callback));
        }

        /** The machine code on the refusal page. */
        String error() {
            var m = java.util.regex.Pattern.compile("data-error=\"([a-z_]+)\"").matcher(callback.body());
            return m.find() ? m.group(1) : null;
        }
    }

    /** What the start answered: where to go at the provider, and the cookie that binds the sign-in to this browser. */
    record Started(Http.Response response, String authorization, String binding) {}

    private SignInFlow() {}

    static Started start(TestLatch latch, String query, String... headers) {
        var res = latch.http().get("/api/login/openid" + query, headers);
        if (res.status() != 302) {
            throw new AssertionError("start refused: " + res);
        }
        String binding = res.setCookie(OidcController.BINDING_COOKIE).map(c -> c.substring(0, c.indexOf(';')))
                .orElseThrow(() -> new AssertionError("no binding cookie"));
        return new Started(res, res.header("Location").orElseThrow(), binding);
    }

    static Result signIn(TestLatch latch, OpenIdProvider provider) {
        return signIn(latch, provider, "");
    }

    static Result signIn(TestLatch latch, OpenIdProvider provider, String query) {
        var started = start(latch, query);
        return callback(latch, provider.authorize(started.authorization()), started.binding());
    }

    /** Delivers the provider's answer to Latch as the browser would, with its cookies. */
    static Result callback(TestLatch latch, URI back, String... cookies) {
        String path = back.getRawPath() + (back.getRawQuery() == null ? "" : "?" + back.getRawQuery());
        var res = cookies.length == 0 ? latch.http().get(path) : latch.http().get(path, "Cookie", String.join("; ", cookies));
        Optional<String> session = res.setCookie("latch_token").map(c -> c.substring("latch_token=".length(), c.indexOf(';')))
                .filter(v -> !v.isEmpty());
        return new Result(res, session);
    }
}
