package latch.token;

import latch.db.Database;

import java.time.Clock;
import java.util.function.Supplier;

public final class SqliteSecretStore implements SecretStore {
    private final Database db;
    private final Clock clock;

    public SqliteSecretStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public byte[] getOrCreate(String name, Supplier<byte[]> fresh) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("SELECT value FROM instance_secrets WHERE name = ?")) {
                ps.setString(1, name);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getBytes(1);
                    }
                }
            }
            byte[] value = fresh.get();
            try (var ps = c.prepareStatement("INSERT INTO instance_secrets(name, value, created_at) VALUES (?,?,?)")) {
                ps.setString(1, name);
                ps.setBytes(2, value);
                ps.setLong(3, clock.instant().getEpochSecond());
                ps.executeUpdate();
            }
            return value;
        });
    }
}
