package latch.oidc;

import latch.db.Database;

import java.time.Instant;
import java.util.Optional;

public final class SqlSignInAttemptStore implements SignInAttemptStore {
    private final Database db;

    public SqlSignInAttemptStore(Database db) {
        this.db = db;
    }

    @Override
    public void add(SignInAttempt a) {
        db.run(tx -> tx.update("INSERT INTO oidc_sign_ins(state_digest, challenge, nonce, return_to, link_user_id, expires_at)"
                + " VALUES (?,?,?,?,?,?)", a.stateDigest(), a.challenge(), a.nonce(), a.returnTo(), a.linkUserId(),
                a.expiresAt().getEpochSecond()));
    }

    @Override
    public Optional<SignInAttempt> take(String stateDigest) {
        return db.inTransaction(tx -> {
            try (var ps = tx.prepare("DELETE FROM oidc_sign_ins WHERE state_digest = ?"
                    + " RETURNING challenge, nonce, return_to, link_user_id, expires_at")) {
                ps.setString(1, stateDigest);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long link = rs.getLong(4);
                    Long linkUserId = rs.wasNull() ? null : link;
                    return Optional.of(new SignInAttempt(stateDigest, rs.getString(1), rs.getString(2), rs.getString(3),
                            linkUserId, Instant.ofEpochSecond(rs.getLong(5))));
                }
            }
        });
    }

    @Override
    public int purgeExpired(Instant now, int max) {
        return db.inTransaction(tx -> tx.update("DELETE FROM oidc_sign_ins WHERE state_digest IN"
                + " (SELECT state_digest FROM oidc_sign_ins WHERE expires_at < ? LIMIT ?)", now.getEpochSecond(), max));
    }
}
