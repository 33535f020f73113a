package latch.access;

import latch.http.ClientInfo;

import java.util.function.Supplier;

/** Sends each presented token to the authenticator for its kind: {@code latch_...} client tokens, else JWTs. */
public final class AnyCredential implements Authenticator {
    private final Authenticator jwts;
    private final Authenticator clientTokens;

    public AnyCredential(Authenticator jwts, Authenticator clientTokens) {
        this.jwts = jwts;
        this.clientTokens = clientTokens;
    }

    @Override
    public Principal authenticate(String token, Supplier<ClientInfo> client) {
        return token.startsWith("latch_") ? clientTokens.authenticate(token, client) : jwts.authenticate(token, client);
    }
}
