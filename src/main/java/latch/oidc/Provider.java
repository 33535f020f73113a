package latch.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenClaimsVerifier;
import latch.http.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenID provider as Latch speaks to it, all protocol through Nimbus: discovery (cached; its issuer must be the
 * configured one exactly, OIDC Discovery section 4.3), the authorization request with PKCE, the code exchange, and
 * ID token validation (OIDC Core section 3.1.3.7) against the provider's JWKS, re-fetched on an unknown key at most
 * every 30 seconds.
 */
final class Provider {
    private static final Logger log = LoggerFactory.getLogger(Provider.class);
    static final int TIMEOUT_MS = 5000;
    private static final int MAX_DOCUMENT_BYTES = 64 * 1024;
    static final Duration REDISCOVER_AFTER = Duration.ofHours(1);
    /** After a failed discovery, sign-ins are refused this long before Latch asks the provider again. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);
    private static final long JWKS_REFETCH_MS = 30_000;
    private static final int CLOCK_SKEW_SECONDS = 60;

    /** What the callback learned: the ID token's claims and the token itself (for RP-initiated logout). */
    record SignedIn(JWTClaimsSet claims, String idToken) {}

    private record Discovered(OIDCProviderMetadata metadata, ProviderKeys keys, Instant at) {}

    private final OidcSettings settings;
    private final Clock clock;
    private final ClientID clientId;
    private final Issuer issuer;
    private volatile Discovered discovered;
    private volatile Instant failedAt;

    Provider(OidcSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.clientId = new ClientID(settings.clientId());
        this.issuer = new Issuer(settings.issuer().toString());
    }

    String issuer() {
        return issuer.getValue();
    }

    URI authorizationUri(State state, Nonce nonce, CodeVerifier verifier) {
        var metadata = discovered().metadata();
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(settings.scopes().toArray(String[]::new)),
                clientId, settings.redirectUri())
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
    }

    /** Exchanges the code (with the PKCE verifier) and validates the ID token it brings. */
    SignedIn redeem(AuthorizationCode code, CodeVerifier verifier, Nonce nonce) {
        var found = discovered();
        var grant = new AuthorizationCodeGrant(code, settings.redirectUri(), verifier);
        URI endpoint = found.metadata().getTokenEndpointURI();
        TokenRequest request = settings.clientSecret()
                .map(secret -> usesPost(found.metadata())
                        ? new TokenRequest(endpoint, new ClientSecretPost(clientId, new Secret(secret)), grant)
                        : new TokenRequest(endpoint, new ClientSecretBasic(clientId, new Secret(secret)), grant))
                .orElseGet(() -> new TokenRequest(endpoint, clientId, grant));
        OIDCTokenResponse tokens;
        try {
            var http = request.toHTTPRequest();
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            var response = OIDCTokenResponseParser.parse(http.send());
            if (!response.indicatesSuccess()) {
                var error = ((TokenErrorResponse) response).getErrorObject();
                log.warn("OIDC: the provider refused the sign-in code: {}", error == null ? "no reason given" : error.getCode());
                throw new ApiError(400, "code_refused", "The provider refused this sign-in (the code was used or has"
                        + " expired). Start again.");
            }
            tokens = (OIDCTokenResponse) response.toSuccessResponse();
        } catch (IOException e) {
            log.warn("OIDC: cannot reach the token endpoint {}: {}", endpoint, e.getMessage());
            throw unavailable();
        } catch (ParseException | ClassCastException e) {
            log.warn("OIDC: the token endpoint answered something that is not a token response: {}", e.getMessage());
            throw new ApiError(502, "provider_error", "The provider answered the sign-in with something Latch could"
                    + " not read. Tell the administrator.");
        }
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw rejected("the token response carried no ID token");
        }
        return new SignedIn(validate(idToken.serialize(), nonce, found.keys()), idToken.serialize());
    }

    /** Validates an ID token: signature by an allowed algorithm and key, typ, iss, aud and azp, times, nonce. */
    JWTClaimsSet validate(String serialized, Nonce nonce) {
        return validate(serialized, nonce, discovered().keys());
    }

    private JWTClaimsSet validate(String serialized, Nonce nonce, ProviderKeys keys) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(serialized);
        } catch (java.text.ParseException e) {
            throw rejected("the ID token is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw rejected("the ID token is not signed"); // alg none (RFC 8725 section 3.1), or encrypted
        }
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(keys);
        processor.setJWSVerifierFactory(keys);
        var claims = new IDTokenClaimsVerifier(issuer, clientId, nonce, CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(new AudienceRule(claims, clientId.getValue()));
        try {
            return processor.process(signed, null);
        } catch (BadJOSEException | JOSEException e) {
            throw rejected(e.getMessage());
        }
    }

    /**
     * OIDC Core 3.1.3.7 items 3 to 5: an ID token for several audiences is refused unless its authorized party (azp)
     * is us, and an azp naming another client is refused whatever the audience. Nimbus's own check let a token for
     * us and another client through with azp naming the other (found by OidcAttackTest).
     */
    private record AudienceRule(IDTokenClaimsVerifier claims, String clientId) implements JWTClaimsSetVerifier<SecurityContext> {
        @Override
        public void verify(JWTClaimsSet set, SecurityContext context) throws BadJWTException {
            claims.verify(set, context);
            Object azp = set.getClaim("azp");
            if (set.getAudience().size() > 1 && azp == null) {
                throw new BadJWTException("ID token for several audiences without azp");
            }
            if (azp != null && !clientId.equals(azp)) {
                throw new BadJWTException("ID token for another authorized party");
            }
        }
    }

    /** Where to send the browser to end the provider's session too, if the provider has an end_session_endpoint. */
    Optional<URI> endSessionUri(String idToken, URI afterLogout) {
        URI endpoint;
        try {
            endpoint = discovered().metadata().getEndSessionEndpointURI();
        } catch (ApiError e) {
            return Optional.empty(); // the provider is down: Latch's own session still ends
        }
        if (endpoint == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LogoutRequest(endpoint, JWTParser.parse(idToken), afterLogout, null).toURI());
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }

    private boolean usesPost(OIDCProviderMetadata metadata) {
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        // Absent means client_secret_basic (OIDC Discovery section 3).
        return methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    }

    private Discovered discovered() {
        Discovered d = discovered;
        Instant now = clock.instant();
        if (d != null && now.isBefore(d.at().plus(REDISCOVER_AFTER))) {
            return d;
        }
        synchronized (this) {
            d = discovered;
            if (d != null && now.isBefore(d.at().plus(REDISCOVER_AFTER))) {
                return d;
            }
            Instant failed = failedAt;
            if (failed != null && now.isBefore(failed.plus(RETRY_AFTER_FAILURE))) {
                if (d != null) {
                    return d;
                }
                throw unavailable();
            }
            try {
                discovered = discover(now);
                failedAt = null;
                return discovered;
            } catch (DiscoveryFailed e) {
                failedAt = now;
                log.warn("OIDC: {}", e.getMessage());
                if (d != null) {
                    return d; // the last good document, until the provider answers again
                }
                throw unavailable();
            }
        }
    }

    private static final class DiscoveryFailed extends Exception {
        DiscoveryFailed(String message) {
            super(message, null, false, false);
        }
    }

    private Discovered discover(Instant now) throws DiscoveryFailed {
        String base = issuer.getValue().endsWith("/") ? issuer.getValue().substring(0, issuer.getValue().length() - 1) : issuer.getValue();
        String address = base + "/.well-known/openid-configuration";
        var retriever = new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, MAX_DOCUMENT_BYTES);
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(retriever.retrieveResource(new URL(address)).getContent());
        } catch (IOException e) {
            throw new DiscoveryFailed("cannot read the discovery document at " + address + ": " + e.getMessage());
        } catch (ParseException e) {
            throw new DiscoveryFailed("the discovery document at " + address + " is not valid: " + e.getMessage());
        }
        if (!issuer.equals(metadata.getIssuer())) {
            // A document naming another issuer is another provider's (or an attacker's): nothing in it is used.
            throw new DiscoveryFailed("the discovery document at " + address + " names the issuer '" + metadata.getIssuer()
                    + "', not OIDC_SERVER_APPLICATION_URL '" + issuer + "'; set it exactly as the provider states it");
        }
        if (metadata.getJWKSetURI() == null || metadata.getTokenEndpointURI() == null || metadata.getAuthorizationEndpointURI() == null) {
            throw new DiscoveryFailed("the discovery document at " + address + " lacks an authorization, token or jwks_uri endpoint");
        }
        JWKSource<SecurityContext> published;
        try {
            published = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                            new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, MAX_DOCUMENT_BYTES))
                    .cache(Duration.ofHours(1).toMillis(), TIMEOUT_MS * 3L)
                    .rateLimited(JWKS_REFETCH_MS)
                    .refreshAheadCache(false)
                    .retrying(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new DiscoveryFailed("the provider's jwks_uri is not a URL: " + metadata.getJWKSetURI());
        }
        var secret = settings.allowHs256() ? settings.clientSecret() : Optional.<String>empty();
        return new Discovered(metadata, new ProviderKeys(published, secret), now);
    }

    private ApiError unavailable() {
        return new ApiError(503, "provider_unavailable", "Signing in with " + settings.provider() + " is not possible"
                + " right now: Latch cannot reach it. Try again in a minute, or tell the administrator.",
                Map.of("Retry-After", Long.toString(RETRY_AFTER_FAILURE.getSeconds())));
    }

    private ApiError rejected(String why) {
        log.warn("OIDC: refused an ID token from the provider: {}", why);
        return new ApiError(401, "id_token_rejected", "The provider's answer did not pass Latch's checks, so you were not"
                + " signed in. Try again; if it keeps happening, tell the administrator.");
    }
}
