package latch.db;

import java.sql.SQLException;

/** Opens transactions. Services that change several stores at once get this, and pass the {@link Tx} on. */
public interface UnitOfWork {
    /** Runs {@code work} in one transaction holding the write lock: committed if it returns, rolled back if it throws. */
    <T> T inTransaction(Work<T> work);

    default void run(Action action) {
        inTransaction(tx -> {
            action.run(tx);
            return null;
        });
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    @FunctionalInterface
    interface Action {
        void run(Tx tx) throws SQLException;
    }
}
