package latch.audit;

import io.javalin.http.Context;
import latch.access.NetworkGate;
import latch.audit.AuditService.Outcome;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.http.RefusalListener;
import latch.http.TrustedProxies;
import latch.limit.RateLimited;

import java.time.Duration;

/**
 * Records CSRF, network and rate-limit refusals in the audit log, at most once per client and window: a refused
 * limit once per client per limit per that limit's window, the others once a minute, so a flood of refusals cannot
 * fill the disk.
 */
public final class RefusalAudit implements RefusalListener {
    private static final Duration OTHER_WINDOW = Duration.ofMinutes(1);

    private final AuditService audit;
    private final TrustedProxies proxies;
    private final RefusalWindows windows;

    public RefusalAudit(AuditService audit, TrustedProxies proxies, RefusalWindows windows) {
        this.audit = audit;
        this.proxies = proxies;
        this.windows = windows;
    }

    @Override
    public void refused(Context ctx, ApiError error) {
        AuditType type;
        String what = error.code();
        Duration window = OTHER_WINDOW;
        if (error instanceof RateLimited limited) {
            type = AuditType.RATE_LIMITED;
            what = limited.policy().name();
            window = limited.policy().window();
        } else if (error.status() == 429) {
            type = AuditType.RATE_LIMITED;
        } else if ("csrf_refused".equals(error.code())) {
            type = AuditType.CSRF_REFUSED;
        } else if (NetworkGate.REFUSED.equals(error.code())) {
            type = AuditType.NETWORK_REFUSED;
        } else {
            return;
        }
        ClientInfo client = proxies.client(ctx);
        if (!windows.firstIn(type.wireName() + '|' + what + '|' + client.limitKey(), window)) {
            return;
        }
        audit.record(type, Outcome.REFUSED, (latch.user.User) null, null, client,
                what + ": " + ctx.method() + " " + ctx.path());
    }
}
