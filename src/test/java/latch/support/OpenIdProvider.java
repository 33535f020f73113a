package latch.support;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real OpenID provider (NAV's mock-oauth2-server: discovery, JWKS, authorization with PKCE, token and end-session
 * endpoints) on a loopback port, for the length of a test. It signs in whoever the test names next, with the claims
 * the test gives, and without a login form: the browser (or the test playing it) is sent straight back.
 */
public final class OpenIdProvider implements AutoCloseable {
    public static final String CLIENT_ID = "latch";
    public static final String CLIENT_SECRET = "provider-client-secret-for-tests-0123456789";
    private static final String ISSUER_ID = "home";

    private final MockOAuth2Server server = new MockOAuth2Server();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public OpenIdProvider() {
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    /** OIDC_SERVER_APPLICATION_URL: exactly the issuer its discovery document names. */
    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** Latch's settings for this provider, with overrides. */
    public Map<String, String> settings(Map<String, String> overrides) {
        var values = new HashMap<String, String>();
        values.put("OIDC_ENABLED", "true");
        values.put("OIDC_PROVIDER", "Home ID");
        values.put("OIDC_CLIENT_ID", CLIENT_ID);
        values.put("OIDC_CLIENT_SECRET", CLIENT_SECRET);
        values.put("OIDC_SERVER_APPLICATION_URL", issuer());
        values.putAll(overrides);
        return values;
    }

    /** The next sign-in at the provider is {@code subject}, with these claims in its ID token. */
    public void nextSignIn(String subject, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(CLIENT_ID), claims, 3600));
    }

    /** Plays the browser at the provider: follows its authorization address, returns where it sends the browser back. */
    public URI authorize(String authorizationAddress) {
        var res = get(URI.create(authorizationAddress));
        String location = res.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("the provider did not redirect: " + res.statusCode() + " " + res.body()));
        return URI.create(location);
    }

    public HttpResponse<String> get(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every request the provider received since the last call, oldest first. */
    public List<okhttp3.mockwebserver.RecordedRequest> requests() {
        var out = new java.util.ArrayList<okhttp3.mockwebserver.RecordedRequest>();
        while (true) {
            try {
                out.add(server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (RuntimeException e) {
                return out; // none left: it throws rather than answer null
            }
        }
    }

    public MockOAuth2Server server() {
        return server;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
