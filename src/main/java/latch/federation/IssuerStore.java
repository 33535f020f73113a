package latch.federation;

import latch.db.Tx;

import java.util.List;
import java.util.Optional;

/** The issuer registry at rest. Every change is one statement, so two admins (or nodes) cannot both add one issuer. */
public interface IssuerStore {
    enum Updated { UPDATED, NOT_FOUND, DUPLICATE }

    /** Every registered issuer, oldest first. */
    List<TrustedIssuer> all();

    /** Adds {@code issuer} (its id ignored) and answers it with its id; empty when that {@code iss} is registered already. */
    Optional<TrustedIssuer> add(Tx tx, TrustedIssuer issuer);

    Optional<TrustedIssuer> find(Tx tx, long id);

    /** Replaces the stored fields of {@code issuer.id()}; DUPLICATE when its {@code iss} is another entry's. */
    Updated update(Tx tx, TrustedIssuer issuer);

    /** Removes the entry; empty when there is none with that id. */
    Optional<String> delete(Tx tx, long id);
}
