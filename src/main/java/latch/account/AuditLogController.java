package latch.account;

import io.javalin.http.Context;
import latch.audit.AuditService;
import latch.http.ApiError;
import latch.http.Json;
import latch.http.Params;
import latch.user.User;
import latch.user.UserDirectory;

/** HTTP for the admin's view of the audit log. */
public final class AuditLogController {
    private final AuditService audit;
    private final UserDirectory users;

    public AuditLogController(AuditService audit, UserDirectory users) {
        this.audit = audit;
        this.users = users;
    }

    /** {@code GET /api/admin/audit?user=&type=&since=&until=&limit=&cursor=}; user is an id or a username. */
    public void search(Context ctx) {
        Long subject = null;
        String user = ctx.queryParam("user");
        if (user != null && !user.isEmpty()) {
            subject = user.chars().allMatch(Character::isDigit) && user.length() < 19
                    ? Long.valueOf(user)
                    : users.findByUsername(user).map(User::id)
                            .orElseThrow(() -> ApiError.notFound("There is no user called '" + user + "'."));
        }
        Json.send(ctx, audit.search(subject, emptyToNull(ctx.queryParam("type")), Params.instant(ctx, "since"),
                Params.instant(ctx, "until"), Params.integer(ctx, "limit"), ctx.queryParam("cursor")));
    }

    private static String emptyToNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }
}
