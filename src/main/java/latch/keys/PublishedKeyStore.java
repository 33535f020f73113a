package latch.keys;

import latch.db.Tx;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Where published signing keys are kept: the public half in the clear, the private half sealed. Every change is
 * one conditional statement, so two processes (or nodes) rotating at once make one key, not two.
 */
public interface PublishedKeyStore {
    record Row(String kid, String purpose, String algorithm, byte[] publicKey, byte[] sealedPrivateKey,
               Instant createdAt, Instant activeFrom, Instant withdrawnAt) {}

    /** Oldest first: by when they start signing, then by when they were added. */
    List<Row> all(String purpose);

    /**
     * Adds {@code row} unless a key of its purpose that is not withdrawn becomes active after {@code unlessActiveAfter}
     * (null: adds it regardless); true if added.
     */
    boolean addUnlessNewer(Tx tx, Row row, Instant unlessActiveAfter) throws SQLException;

    /** Withdraws the key at once; false if there is no such key of this purpose or it was already withdrawn. */
    boolean withdraw(Tx tx, String purpose, String kid, Instant at) throws SQLException;

    /** Deletes these keys; they are long retired. */
    int delete(Tx tx, String purpose, List<String> kids) throws SQLException;
}
