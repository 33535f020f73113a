package latch.access;

import latch.http.ClientInfo;
import latch.http.ErrorMapper;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Sends each presented token to the authenticator for its kind: {@code latch_...} client tokens, else JWTs. Fails
 * closed while this process cannot hear of revocations ({@code inStep} false: the database is away), since a token
 * checked from memory then may have been revoked on another node.
 */
public final class AnyCredential implements Authenticator {
    private final Authenticator jwts;
    private final Authenticator clientTokens;
    private final BooleanSupplier inStep;

    public AnyCredential(Authenticator jwts, Authenticator clientTokens, BooleanSupplier inStep) {
        this.jwts = jwts;
        this.clientTokens = clientTokens;
        this.inStep = inStep;
    }

    @Override
    public Principal authenticate(String token, Supplier<ClientInfo> client) {
        if (!inStep.getAsBoolean()) {
            throw ErrorMapper.unavailable();
        }
        return token.startsWith("latch_") ? clientTokens.authenticate(token, client) : jwts.authenticate(token, client);
    }
}
