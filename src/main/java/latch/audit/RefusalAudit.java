package latch.audit;

import com.github.benmanes.caffeine.cache.Cache;
import io.javalin.http.Context;
import latch.audit.AuditService.Outcome;
import latch.cache.Caches;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.http.RefusalListener;
import latch.http.TrustedProxies;

import java.time.Clock;
import java.time.Duration;

/**
 * Records CSRF and rate-limit refusals in the audit log. A flood of refusals from one address is recorded once
 * a minute, so the log cannot be used to fill the disk.
 */
public final class RefusalAudit implements RefusalListener {
    private final AuditService audit;
    private final TrustedProxies proxies;
    private final Cache<String, Boolean> recent;

    public RefusalAudit(AuditService audit, TrustedProxies proxies, Clock clock) {
        this.audit = audit;
        this.proxies = proxies;
        this.recent = Caches.builder(clock).maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();
    }

    @Override
    public void refused(Context ctx, ApiError error) {
        AuditType type;
        if (error.status() == 429) {
            type = AuditType.RATE_LIMITED;
        } else if ("csrf_refused".equals(error.code())) {
            type = AuditType.CSRF_REFUSED;
        } else {
            return;
        }
        ClientInfo client = proxies.client(ctx);
        if (recent.asMap().putIfAbsent(type + "|" + client.ip(), Boolean.TRUE) != null) {
            return;
        }
        audit.record(type, Outcome.REFUSED, (latch.user.User) null, null, client, ctx.method() + " " + ctx.path());
    }
}
