package latch.change;

import latch.change.Change.ClientTokenChanged;
import latch.change.Change.IssuersChanged;
import latch.change.Change.KeysRotated;
import latch.change.Change.PasswordChanged;
import latch.change.Change.SessionChanged;
import latch.change.Change.TokenRevoked;
import latch.change.Change.UserChanged;
import latch.change.Change.UserDeleted;
import latch.change.Change.UserDisabled;
import latch.change.Change.UserSessionsEnded;

import java.time.Instant;
import java.util.Optional;

/** A change as a row of the change log: a kind, a subject, an optional time and an optional detail. */
final class ChangeCodec {
    record Row(String kind, String subject, Long until, String detail) {}

    private ChangeCodec() {}

    static Row encode(Change change) {
        if (change instanceof UserChanged c) {
            return new Row("user_changed", Long.toString(c.userId()), null, null);
        } else if (change instanceof UserDisabled c) {
            return new Row("user_disabled", Long.toString(c.userId()), null, null);
        } else if (change instanceof UserDeleted c) {
            return new Row("user_deleted", Long.toString(c.userId()), null, null);
        } else if (change instanceof PasswordChanged c) {
            // Other processes only drop what they cached of the user; the sessions and tokens the change ended
            // travel as changes of their own, so the keep/revoke details need not.
            return new Row("password_changed", Long.toString(c.userId()), null, null);
        } else if (change instanceof SessionChanged c) {
            return new Row("session_changed", c.sessionId(), null, null);
        } else if (change instanceof UserSessionsEnded c) {
            return new Row("user_sessions_ended", Long.toString(c.userId()), null, null);
        } else if (change instanceof TokenRevoked c) {
            return new Row("token_revoked", c.tokenId(), c.until().getEpochSecond(), null);
        } else if (change instanceof ClientTokenChanged c) {
            return new Row("client_token_changed", c.tokenId(), null, null);
        } else if (change instanceof KeysRotated c) {
            return new Row("keys_rotated", c.purpose(), null, null);
        } else if (change instanceof IssuersChanged) {
            return new Row("issuers_changed", null, null, null);
        }
        throw new IllegalArgumentException("not a change that travels: " + change);
    }

    /** The change a row records; empty for a kind this version does not know (a newer process wrote it). */
    static Optional<Change> decode(Row row) {
        String s = row.subject();
        return Optional.ofNullable(switch (row.kind()) {
            case "user_changed" -> new UserChanged(Long.parseLong(s));
            case "user_disabled" -> new UserDisabled(Long.parseLong(s));
            case "user_deleted" -> new UserDeleted(Long.parseLong(s));
            case "password_changed" -> new PasswordChanged(Long.parseLong(s), null, false);
            case "session_changed" -> new SessionChanged(s);
            case "user_sessions_ended" -> new UserSessionsEnded(Long.parseLong(s));
            case "token_revoked" -> new TokenRevoked(s, Instant.ofEpochSecond(row.until()));
            case "client_token_changed" -> new ClientTokenChanged(s);
            case "keys_rotated" -> new KeysRotated(s);
            case "issuers_changed" -> new IssuersChanged();
            default -> null;
        });
    }
}
