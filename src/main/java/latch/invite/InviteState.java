package latch.invite;

import java.util.Locale;

/** Where an invitation link stands, as the admin's list shows it. */
public enum InviteState {
    ACTIVE,
    USED_UP,
    EXPIRED,
    REVOKED,
    /** Unexpired and unspent, but its creator can no longer create the account it promises (demoted, disabled, deleted). */
    VOID;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
