package latch.limit;

import latch.http.ApiError;

import java.util.Map;

/** A 429 with {@code Retry-After}, naming the limit that refused, so the refusal can be audited once per limit and window. */
public final class RateLimited extends ApiError {
    private final transient LimitPolicy policy;

    public RateLimited(LimitPolicy policy, long retryAfterSeconds) {
        super(429, "rate_limited", "Too many attempts; try again in " + retryAfterSeconds + " seconds.",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        this.policy = policy;
    }

    public LimitPolicy policy() {
        return policy;
    }
}
