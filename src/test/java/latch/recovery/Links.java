package latch.recovery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import latch.access.Principal;
import latch.support.Http;
import latch.support.TestLatch;

/** The calls the recovery tests make: links made as the command line makes them, and used as the pages use them. */
final class Links {
    private Links() {}

    /** A sign-in link for {@code username}, made as {@code admin login-link} makes it. */
    static IssuedLink loginLink(TestLatch latch, String username) {
        var user = latch.deps().users().findByUsername(username).orElseThrow();
        return latch.deps().recovery().service().loginLink(Principal.system("test", latch.deps().scopes().all()), user);
    }

    static Http.Response signInWith(TestLatch latch, String token) {
        return latch.http().postJson("/api/auth/login-link", JsonNodeFactory.instance.objectNode().put("token", token).toString());
    }

    /** {@code POST /api/users/{id}/reset-link} as {@code adminToken}. */
    static Http.Response resetLink(TestLatch latch, String adminToken, long userId) {
        return latch.http().post("/api/users/" + userId + "/reset-link", "Authorization", Http.bearer(adminToken));
    }

    /** The token in a reset link's URL. */
    static String tokenOf(Http.Response created) {
        String url = created.json().get("url").asText();
        return url.substring(url.indexOf("#token=") + "#token=".length());
    }

    static Http.Response reset(TestLatch latch, String token, String newPassword) {
        return latch.http().postJson("/api/auth/reset-password", JsonNodeFactory.instance.objectNode()
                .put("token", token).put("new_password", newPassword).toString());
    }
}
