package latch.apps;

import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqlAppStore implements AppStore {
    /** Adding and moving apps take turns: both read the whole order (and the count) they then change. */
    private static final String APPS_ORDER = "apps order";

    /** Each app with its place in the launcher's order; the image's bytes are read only to serve them. */
    private static final String PLACED = "SELECT id, name, url, symbol, icon_type, icon_hash, required_scope, created_at,"
            + " updated_at, ROW_NUMBER() OVER (ORDER BY position, id) AS place FROM apps";
    private final Database db;

    public SqlAppStore(Database db) {
        this.db = db;
    }

    @Override
    public List<AppEntry> all() {
        return db.read(c -> {
            try (var ps = c.prepareStatement(PLACED + " ORDER BY place"); var rs = ps.executeQuery()) {
                var out = new ArrayList<AppEntry>();
                while (rs.next()) {
                    out.add(map(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<AppEntry> find(Tx tx, long id) {
        try (var ps = tx.prepare("SELECT * FROM (" + PLACED + ") AS placed WHERE id = ?")) {
            ps.setLong(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<AppEntry> add(Tx tx, AppEntry app, int max) {
        // The count and the last place are read by the insert itself: no window between the check and the write.
        tx.takeTurns(APPS_ORDER, 0);
        try (var ps = tx.prepare("INSERT INTO apps(name, url, symbol, required_scope, position, created_at, updated_at)"
                + " SELECT ?, ?, ?, ?, COALESCE((SELECT MAX(position) FROM apps), 0) + 1, ?, ?"
                + " WHERE (SELECT COUNT(*) FROM apps) < ? RETURNING id")) {
            ps.setString(1, app.name());
            ps.setString(2, app.url());
            ps.setString(3, app.symbol());
            ps.setString(4, app.requiredScope());
            ps.setLong(5, app.createdAt().toEpochMilli());
            ps.setLong(6, app.updatedAt().toEpochMilli());
            ps.setInt(7, max);
            long id;
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getLong(1);
            }
            return find(tx, id);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public boolean update(Tx tx, long id, Edit edit, Instant at) {
        // A symbol given replaces an uploaded image; fields not given keep what the row holds at the moment of writing.
        try (var ps = tx.prepare("UPDATE apps SET name = COALESCE(?, name), url = COALESCE(?, url),"
                + " symbol = COALESCE(?, symbol),"
                + " icon_type = CASE WHEN CAST(? AS TEXT) IS NULL THEN icon_type END,"
                + " icon_data = CASE WHEN CAST(? AS TEXT) IS NULL THEN icon_data END,"
                + " icon_hash = CASE WHEN CAST(? AS TEXT) IS NULL THEN icon_hash END,"
                + " required_scope = CASE WHEN ? = 1 THEN ? ELSE required_scope END, updated_at = ? WHERE id = ?")) {
            ps.setString(1, edit.name());
            ps.setString(2, edit.url());
            for (int symbol = 3; symbol <= 6; symbol++) {
                ps.setString(symbol, edit.symbol());
            }
            ps.setInt(7, edit.setsScope() ? 1 : 0);
            ps.setString(8, edit.requiredScope());
            ps.setLong(9, at.toEpochMilli());
            ps.setLong(10, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public boolean move(Tx tx, long id, long place, Instant at) {
        tx.takeTurns(APPS_ORDER, 0);
        // One statement renumbers every app 1..n with the moved one at its new place, from a snapshot of the order
        // taken before any row changes (MATERIALIZED), so no second writer can interleave with a half-done reorder.
        // The new place is clamped to 1..n in Java's hands and the database's: n is counted inside the statement.
        try (var ps = tx.prepare("WITH ordered AS MATERIALIZED"
                + " (SELECT id, ROW_NUMBER() OVER (ORDER BY position, id) AS place FROM apps),"
                + " moving AS MATERIALIZED (SELECT place AS old, CASE WHEN ? > (SELECT COUNT(*) FROM apps)"
                + " THEN (SELECT COUNT(*) FROM apps) ELSE ? END AS new FROM ordered WHERE id = ?)"
                + " UPDATE apps SET position = CASE"
                + " WHEN apps.id = ? THEN m.new"
                + " WHEN o.place >= m.new AND o.place < m.old THEN o.place + 1"
                + " WHEN o.place <= m.new AND o.place > m.old THEN o.place - 1"
                + " ELSE o.place END,"
                + " updated_at = CASE WHEN apps.id = ? THEN ? ELSE apps.updated_at END"
                + " FROM ordered o, moving m WHERE o.id = apps.id")) {
            long atLeastOne = Math.max(place, 1);
            ps.setLong(1, atLeastOne);
            ps.setLong(2, atLeastOne);
            ps.setLong(3, id);
            ps.setLong(4, id);
            ps.setLong(5, id);
            ps.setLong(6, at.toEpochMilli());
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public boolean setImage(Tx tx, long id, IconImage image, Instant at) {
        try (var ps = tx.prepare("UPDATE apps SET symbol = NULL, icon_type = ?, icon_data = ?, icon_hash = ?, updated_at = ?"
                + " WHERE id = ?")) {
            ps.setString(1, image.type());
            ps.setBytes(2, image.bytes());
            ps.setString(3, image.etag());
            ps.setLong(4, at.toEpochMilli());
            ps.setLong(5, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> delete(Tx tx, long id) {
        List<String> gone = tx.strings("DELETE FROM apps WHERE id = ? RETURNING name", id);
        return gone.isEmpty() ? Optional.empty() : Optional.of(gone.get(0));
    }

    @Override
    public Optional<StoredIcon> image(long id) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT icon_type, icon_data, icon_hash, required_scope FROM apps"
                    + " WHERE id = ? AND icon_data IS NOT NULL")) {
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    var image = new IconImage(rs.getString("icon_type"), rs.getBytes("icon_data"), rs.getString("icon_hash"));
                    return Optional.of(new StoredIcon(image, rs.getString("required_scope")));
                }
            }
        });
    }

    private static AppEntry map(ResultSet rs) throws SQLException {
        return new AppEntry(rs.getLong("id"), rs.getString("name"), rs.getString("url"), rs.getString("symbol"),
                rs.getString("icon_type"), rs.getString("icon_hash"), rs.getString("required_scope"), rs.getLong("place"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
