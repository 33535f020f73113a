package latch.sfu;

import latch.db.Database;

import java.time.Clock;
import java.time.Instant;

/**
 * The ledger in the database several nodes share, so a write token minted on one node is used up on whichever node
 * the SFU asks. Every change is one statement (a mint one INSERT, a consume one conditional UPDATE, a foreign use one
 * INSERT ... ON CONFLICT DO NOTHING): of concurrent consumes on any number of nodes, exactly one changes the row.
 * A marker counts until {@link #KEPT_PAST_EXPIRY} after its token's expiry, whether or not a sweep has run since.
 */
public final class SqlWriteTokenLedger implements WriteTokenLedger {
    /** Rows per sweep statement, and statements per sweep: a backlog is worked off over several runs of the job. */
    private static final int SWEEP_BATCH = 1000;
    private static final int SWEEP_MAX_BATCHES = 100;

    private final Database db;
    private final Clock clock;
    private final Instant complete;

    /**
     * {@link #complete()} is not this node's start, as in memory: the table keeps every use until its token expires,
     * across restarts and for every node, and every node must answer alike. The uses it cannot have seen were made
     * in memory before any node used it (one box before the move to PostgreSQL, nodes before this version), so the
     * moment is recorded once, in the database, by the first node that starts with it, and read by every later one.
     */
    public SqlWriteTokenLedger(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.complete = db.inTransaction(tx -> {
            tx.update("INSERT INTO netplay_ledger(id, complete_since) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
                    clock.millis());
            return Instant.ofEpochMilli(Long.parseLong(tx.strings("SELECT complete_since FROM netplay_ledger WHERE id = 1").get(0)));
        });
    }

    @Override
    public void issue(String issuer, String jti, Instant expiresAt) {
        // A clash of 128-bit random jtis is not expected; if it ever happens the mint fails loudly.
        db.run(tx -> tx.update("INSERT INTO netplay_write_tokens(issuer, jti, expires_at, used) VALUES (?, ?, ?, 0)",
                issuer, jti, expiresAt.getEpochSecond()));
    }

    @Override
    public Use consume(String issuer, String jti) {
        // An UPDATE, not the DELETE Redis does: a replay is told apart from an unknown token (the SFU logs "token
        // already used", and an alert is raised), as on one box. The row lock decides between racers: a second
        // UPDATE waits for the first, then finds used = 1 and changes nothing.
        int won = db.inTransaction(tx -> tx.update("UPDATE netplay_write_tokens SET used = 1"
                + " WHERE issuer = ? AND jti = ? AND used = 0 AND expires_at >= ?", issuer, jti, horizon()));
        // Read only for the loser's message: who won is settled.
        return won == 1 ? Use.OK : marker(issuer, jti) == Use.NOT_FOUND ? Use.NOT_FOUND : Use.ALREADY_USED;
    }

    @Override
    public Use peek(String issuer, String jti) {
        return marker(issuer, jti);
    }

    @Override
    public Use consumeForeign(String issuer, String jti, Instant expiresAt) {
        // Recorded as used until the token's own expiry; the primary key decides between racers.
        int inserted = db.inTransaction(tx -> tx.update("INSERT INTO netplay_write_tokens(issuer, jti, expires_at, used)"
                + " VALUES (?, ?, ?, 1) ON CONFLICT (issuer, jti) DO NOTHING", issuer, jti, expiresAt.getEpochSecond()));
        return inserted == 1 ? Use.OK : Use.ALREADY_USED;
    }

    @Override
    public boolean usedForeign(String issuer, String jti) {
        return marker(issuer, jti) != Use.NOT_FOUND;
    }

    /** A token's marker as a peek reads it: none, unused, or used. */
    private Use marker(String issuer, String jti) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT used FROM netplay_write_tokens WHERE issuer = ? AND jti = ?"
                    + " AND expires_at >= ?")) {
                ps.setString(1, issuer);
                ps.setString(2, jti);
                ps.setLong(3, horizon());
                try (var rs = ps.executeQuery()) {
                    return !rs.next() ? Use.NOT_FOUND : rs.getLong(1) == 1 ? Use.ALREADY_USED : Use.OK;
                }
            }
        });
    }

    @Override
    public Instant complete() {
        return complete;
    }

    @Override
    public int sweep() {
        long horizon = horizon();
        int total = 0;
        for (int i = 0; i < SWEEP_MAX_BATCHES; i++) {
            // Each batch its own short transaction: a backlog never holds the write lock (SQLite) for long.
            int n = db.inTransaction(tx -> tx.update("DELETE FROM netplay_write_tokens WHERE (issuer, jti) IN"
                    + " (SELECT issuer, jti FROM netplay_write_tokens WHERE expires_at < ? LIMIT ?)", horizon, SWEEP_BATCH));
            total += n;
            if (n < SWEEP_BATCH) {
                break;
            }
        }
        return total;
    }

    @Override
    public int size() {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM netplay_write_tokens")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** The oldest expiry still counted: tokens that expired earlier are as good as swept. */
    private long horizon() {
        return clock.instant().minus(KEPT_PAST_EXPIRY).getEpochSecond();
    }
}
