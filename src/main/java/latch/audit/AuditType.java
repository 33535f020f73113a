package latch.audit;

import java.util.Locale;
import java.util.Optional;

/** The security events Latch records. The wire name is the lower-case enum name, e.g. {@code sign_in_failed}. */
public enum AuditType {
    SETUP_COMPLETED, SIGN_IN, SIGN_IN_FAILED, LOGOUT, REFRESH, TOKEN_GRANTED, TOKEN_REFRESHED, REFRESH_TOKEN_REUSED,
    PASSWORD_CHANGED, PASSWORD_RESET, SESSION_ENDED, SESSIONS_ENDED,
    USER_CREATED, USER_UPDATED, USER_DISABLED, USER_ENABLED, USER_DELETED, ROLE_CHANGED,
    INVITE_CREATED, INVITE_REVOKED, INVITE_USED, REGISTERED,
    ACCOUNT_BANNED, ACCOUNT_UNBANNED, CSRF_REFUSED, RATE_LIMITED,
    CLIENT_TOKEN_CREATED, CLIENT_TOKEN_REVOKED, CLIENT_TOKEN_REGENERATED, CLIENT_TOKEN_PAIRED,
    DEVICE_APPROVED, DEVICE_DENIED,
    ISSUER_ADDED, ISSUER_UPDATED, ISSUER_REMOVED,
    IDENTITY_LINKED, IDENTITY_UNLINKED, LOGIN_LINK_CREATED, RESET_LINK_CREATED,
    NETWORK_REFUSED, ALERT_ACKNOWLEDGED, DATA_EXPORTED, SETUP_CODE_REFUSED,
    APP_CREATED, APP_UPDATED, APP_DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AuditType> parse(String value) {
        for (AuditType t : values()) {
            if (t.wireName().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
