package latch.sfu;

import java.time.Duration;
import java.time.Instant;

/**
 * Which write tokens may still be used: the ROM manager's one-time markers ({@code SET sfu:auth:jti:<jti> "0" EX 30},
 * taken with {@code DEL}). A token is named by its issuer and {@code jti}. Every change is one atomic step, so of
 * many concurrent consumes exactly one wins. In memory on one box ({@link LocalWriteTokenLedger}); in the database
 * several nodes share ({@link SqlWriteTokenLedger}), or Redis, behind the same interface.
 */
public interface WriteTokenLedger {
    /** OK: consumed now (or, from a peek, still unused). */
    enum Use { OK, ALREADY_USED, NOT_FOUND }

    /**
     * How long a token's marker outlives its expiry: longer than the clock skew a verify allows, so a sweep never
     * forgets a token that could still pass its signature and time checks.
     */
    Duration KEPT_PAST_EXPIRY = Duration.ofSeconds(60);

    /** A write token minted here, usable once until {@code expiresAt}. */
    void issue(String issuer, String jti, Instant expiresAt);

    /** Takes a token minted here; only the first of concurrent callers gets {@link Use#OK}. */
    Use consume(String issuer, String jti);

    /** Whether a token minted here is still unused, without using it. */
    Use peek(String issuer, String jti);

    /**
     * A token minted elsewhere (a trusted instance, the ROM manager's old secret): recorded on its first use and
     * refused after; only the first of concurrent callers gets {@link Use#OK}.
     */
    Use consumeForeign(String issuer, String jti, Instant expiresAt);

    /** Whether a token minted elsewhere was used already. */
    boolean usedForeign(String issuer, String jti);

    /**
     * Since when this ledger has seen every use: a foreign token issued before then may have been used where this
     * ledger cannot tell (before a restart), so it is refused.
     */
    Instant complete();

    /** Forgets tokens past their expiry; returns how many. */
    int sweep();

    int size();
}
