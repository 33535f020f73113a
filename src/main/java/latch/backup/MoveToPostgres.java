package latch.backup;

import latch.db.Database;
import latch.db.DatabaseUrl;
import latch.db.Migrations;
import latch.db.Tx;
import latch.token.SealingKey;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Moves an install from its SQLite file to a PostgreSQL database that several nodes will share ({@code admin
 * migrate}): every table both schemas have, rows and ids as they are, password hashes and sealed keys as stored, in
 * one PostgreSQL transaction that commits only once every table holds on PostgreSQL what it holds in the file. The
 * file is only read, so going back is starting Latch on it again.
 *
 * <p>Re-running is safe because the target must be empty or already hold exactly this data (compared row by row):
 * the second run of a move that worked finds its data there and changes nothing. A target holding anything else is
 * refused rather than merged: rows skipped on conflict would keep a session revoked, or a password changed, in the
 * file since the first run alive on PostgreSQL, and a user id taken on both sides would hand one person's sessions
 * and tokens to another.
 */
public final class MoveToPostgres {
    /** One table's rows: how many the SQLite file holds, and how many PostgreSQL holds once the move is done. */
    public record TableCount(String table, long sqlite, long postgres) {}

    /**
     * How many of the install's {@code sealed} values the encryption key at hand opens: LATCH_ENCRYPTION_KEY when
     * {@code configured}, else the install's latch.key at {@code keyFile}; neither (null) when no key was here.
     */
    public record KeyCheck(boolean configured, Path keyFile, int opened, int sealed) {
        public boolean checked() {
            return configured || keyFile != null;
        }
    }

    /** What a move did; {@code copied} is false when PostgreSQL already held exactly this data. */
    public record Moved(Path from, int schemaVersion, String to, boolean copied, List<TableCount> counts,
                        List<String> notOnPostgres, KeyCheck key) {}

    /** The schema's own record of itself: the target has its own, written by its migrations. */
    private static final String SCHEMA_MIGRATIONS = "schema_migrations";
    /**
     * The change feed is not moved. It tells running processes what changed so they drop what they cached, and the
     * nodes that start on PostgreSQL have cached nothing. Its mark {@code change_log_state.pruned_through} keeps the
     * target's 0 as well: it is compared with change sequence numbers, PostgreSQL's start again at 1, and a copied
     * mark would put every node's reading position past the first changes the nodes write, which they would then
     * never read. Below 0 there is nothing stale to skip.
     */
    private static final Set<String> CHANGE_FEED = Set.of("change_log", "change_log_state");
    /** One row the schema seeds; only whether and when the instance was claimed is copied (see {@link #mergeSeeded}). */
    private static final String INSTANCE_STATE = "instance_state";
    /** Seeded rows too: the highest user id ever given, raised to the file's (see {@link #mergeSeeded}). */
    private static final String ID_HIGH_WATER = "id_high_water";
    private static final int BATCH = 500;

    private final Duration startWait;

    /** {@code startWait}: how long to wait for the PostgreSQL server to answer (LATCH_DATABASE_WAIT_SECONDS). */
    public MoveToPostgres(Duration startWait) {
        this.startWait = startWait;
    }

    /**
     * Copies the install in the SQLite file {@code from} to the PostgreSQL database {@code to}, migrated to this
     * Latch's schema first. {@code configuredKey} is LATCH_ENCRYPTION_KEY when set; without it the latch.key beside
     * the file is the key checked against the sealed values. Refused, with nothing written, when the file is in use,
     * of another schema version, or sealed with another key than the one at hand, and when PostgreSQL holds other data.
     */
    public Moved move(Path from, DatabaseUrl to, Optional<byte[]> configuredKey) {
        Path file = from.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new Backups.Refused("there is no file " + file + " (give the SQLite file: latch.db in the server's data directory)");
        }
        try (Connection source = lockedForReading(file)) {
            int version = sourceVersion(source, file);
            KeyCheck key = checkKey(source, file, configuredKey);
            var tables = sourceTables(source);
            var sourceDigests = new LinkedHashMap<String, Digest>();
            try (Database target = Database.postgres(to, 1, startWait)) {
                Migrations.apply(target);
                return target.inTransaction(tx -> {
                    // No node starts on the database until this commits or rolls back.
                    Migrations.holdOffNodes(tx);
                    var plan = Plan.of(tables, tx.connection());
                    for (Table t : plan.compared()) {
                        sourceDigests.put(t.name(), Digest.of(source, t));
                    }
                    boolean copied = copyUnlessThere(plan, source, tx, sourceDigests, file);
                    var counts = new ArrayList<TableCount>();
                    var differ = new ArrayList<String>();
                    for (Table t : plan.compared()) {
                        Digest there = Digest.of(tx.connection(), t);
                        Digest here = sourceDigests.get(t.name());
                        counts.add(new TableCount(t.name(), here.rows(), there.rows()));
                        if (!here.equals(there)) {
                            differ.add(t.name() + " (" + rows(here.rows()) + " in the file, " + there.rows() + " on PostgreSQL)");
                        }
                    }
                    if (!differ.isEmpty()) {
                        // Thrown inside the transaction: it rolls back, and PostgreSQL is left as it was.
                        throw new Backups.Refused("after copying, PostgreSQL does not hold what the file holds in "
                                + String.join(", ", differ) + "; nothing was committed");
                    }
                    return new Moved(file, version, to.describe(), copied, counts, plan.notOnPostgres(), key);
                });
            }
        } catch (SQLException e) {
            throw new Backups.Refused("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The file opened for this process alone, for reads only. A running server's connections hold a lock that an
     * exclusive one cannot pass, so a server (or an admin command) still using the file is refused at once instead
     * of writing changes the copy would miss; and alone on the file, everything read is one consistent snapshot.
     * Taking the lock counts as a write to SQLite, so the connection is read-write and made query-only once it
     * holds it: nothing is written, and a cleanly stopped install's file stays byte for byte as it was.
     */
    private static Connection lockedForReading(Path file) throws SQLException {
        var config = new SQLiteConfig();
        config.setBusyTimeout(0);
        config.setOpenMode(SQLiteOpenMode.READWRITE);
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        try (var st = c.createStatement()) {
            st.execute("PRAGMA locking_mode = EXCLUSIVE");
            try {
                st.execute("BEGIN EXCLUSIVE");
            } catch (SQLiteException e) {
                if (e.getResultCode() == SQLiteErrorCode.SQLITE_BUSY || e.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED) {
                    throw new Backups.Refused(file + " is in use: stop the Latch server (and any 'latch admin' command)"
                            + " first, then migrate");
                }
                throw e;
            }
            st.execute("PRAGMA query_only = 1");
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static int sourceVersion(Connection source, Path file) {
        int version;
        try {
            version = Backups.soundLatchSchema(source, file.toString());
        } catch (SQLException e) {
            // "file is not a database", "no such table: schema_migrations": not ours, whatever it is.
            throw new Backups.Refused(file + " is not a Latch database (" + e.getMessage() + ")");
        }
        int latest = Migrations.latestVersion();
        if (version < latest) {
            throw new Backups.Refused(file + " is at schema version " + version + ", this Latch at " + latest
                    + ": start this Latch once on the SQLite file first to upgrade it (LATCH_DATA_DIR=" + file.getParent()
                    + ", no LATCH_DATABASE_URL), stop it, then migrate");
        }
        if (version > latest) {
            throw new Backups.Refused(file + " was written by a newer Latch (schema version " + version + "; this one knows"
                    + " up to " + latest + "): migrate with that version");
        }
        return version;
    }

    /**
     * The sealed values (signing keys, the CSRF key) are copied sealed, so the nodes need the key that sealed them.
     * Checked before anything is written: the key the nodes will be given (LATCH_ENCRYPTION_KEY, when set here) or
     * else the install's own latch.key must open at least one of the file's sealed secrets.
     */
    private static KeyCheck checkKey(Connection source, Path file, Optional<byte[]> configuredKey) throws SQLException {
        var sealed = new LinkedHashMap<String, byte[]>();
        try (var st = source.createStatement(); var rs = st.executeQuery("SELECT name, sealed FROM sealed_secrets")) {
            while (rs.next()) {
                sealed.put(rs.getString(1), rs.getBytes(2));
            }
        }
        Path keyFile = file.resolveSibling(SealingKey.FILE_NAME);
        Optional<SealingKey> besideFile;
        try {
            besideFile = SealingKey.find(Optional.empty(), file.getParent(), false);
        } catch (IllegalStateException unreadable) {
            besideFile = Optional.empty();
        }
        int openedBeside = besideFile.map(k -> opened(k, sealed)).orElse(0);
        if (configuredKey.isPresent()) {
            int opened = opened(SealingKey.of(configuredKey.get()), sealed);
            if (opened == 0 && !sealed.isEmpty()) {
                throw new Backups.Refused("LATCH_ENCRYPTION_KEY opens none of the " + sealed.size() + " sealed values in "
                        + file + (openedBeside > 0 ? "; the latch.key beside it does: set LATCH_ENCRYPTION_KEY to the"
                        + " contents of " + keyFile : ": set it to the key the SQLite server used (its latch.key)")
                        + "; nothing was copied");
            }
            return new KeyCheck(true, null, opened, sealed.size());
        }
        if (besideFile.isEmpty()) {
            return new KeyCheck(false, null, 0, sealed.size());
        }
        if (openedBeside == 0 && !sealed.isEmpty()) {
            throw new Backups.Refused(keyFile + " opens none of the " + sealed.size() + " sealed values in " + file
                    + ": it is not the key this install used; set LATCH_ENCRYPTION_KEY to the one it did; nothing was copied");
        }
        return new KeyCheck(false, keyFile, openedBeside, sealed.size());
    }

    private static int opened(SealingKey key, Map<String, byte[]> sealed) {
        return (int) sealed.entrySet().stream().filter(e -> key.open(e.getKey(), e.getValue()).isPresent()).count();
    }

    /** The SQLite file's own tables with their columns, leaving out its internals and the text-search index. */
    private static List<SourceTable> sourceTables(Connection source) throws SQLException {
        var all = new TreeMap<String, String>();
        try (var st = source.createStatement();
             var rs = st.executeQuery("SELECT name, sql FROM sqlite_schema WHERE type = 'table'")) {
            while (rs.next()) {
                all.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
        // users_search (FTS5) and its shadow tables users_search_*: an index SQLite builds from users, which
        // PostgreSQL replaces with trigram indexes it keeps itself.
        var virtual = all.entrySet().stream()
                .filter(e -> e.getValue().toUpperCase(Locale.ROOT).startsWith("CREATE VIRTUAL TABLE"))
                .map(Map.Entry::getKey).toList();
        var out = new ArrayList<SourceTable>();
        for (var entry : all.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith("sqlite_") || name.equals(SCHEMA_MIGRATIONS) || CHANGE_FEED.contains(name)
                    || virtual.stream().anyMatch(v -> name.equals(v) || name.startsWith(v + "_"))) {
                continue;
            }
            var columns = new ArrayList<String>();
            try (var st = source.createStatement(); var rs = st.executeQuery("PRAGMA table_info(" + quote(name) + ")")) {
                while (rs.next()) {
                    columns.add(rs.getString("name"));
                }
            }
            boolean rowid = !entry.getValue().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").contains("WITHOUT ROWID");
            out.add(new SourceTable(name, columns, rowid));
        }
        return out;
    }

    /**
     * Copies when PostgreSQL holds nothing yet; returns false when it already holds exactly the file's data (a
     * re-run), and refuses anything else (see the class comment).
     */
    private static boolean copyUnlessThere(Plan plan, Connection source, Tx tx, Map<String, Digest> sourceDigests, Path file)
            throws SQLException {
        // The tables PostgreSQL holds rows in are named when it is refused: they are what makes it not empty.
        var holding = new ArrayList<String>();
        boolean same = true;
        for (Table t : plan.compared()) {
            Digest there = Digest.of(tx.connection(), t);
            Digest here = sourceDigests.get(t.name());
            same &= there.equals(here);
            if (!t.seeded() && there.rows() > 0) {
                holding.add(t.name() + " (" + rows(there.rows()) + " there, " + (there.equals(here) ? "as in"
                        : there.rows() == here.rows() ? "other than" : here.rows() + " in") + " the file)");
            }
        }
        if (same) {
            return false;
        }
        if (!holding.isEmpty()) {
            throw new Backups.Refused("the PostgreSQL database already holds other data than " + file + ": "
                    + String.join(", ", holding) + "; migrate into a new, empty database (nothing was changed)");
        }
        if (highWaterRaised(tx.connection())) {
            throw new Backups.Refused("the PostgreSQL database has given out user ids before (id_high_water), so the"
                    + " users of " + file + " could not keep theirs; migrate into a new, empty database (nothing was changed)");
        }
        for (Table t : plan.copied()) {
            copy(source, tx.connection(), t);
        }
        mergeSeeded(source, tx.connection());
        for (Table t : plan.copied()) {
            for (Column c : t.identities()) {
                // Ids were copied as they were; the next one PostgreSQL hands out must come after them.
                try (var ps = tx.prepare("SELECT setval(pg_get_serial_sequence(?, ?), MAX(" + quote(c.name()) + "))"
                        + " FROM " + quote(t.name()) + " HAVING MAX(" + quote(c.name()) + ") IS NOT NULL")) {
                    ps.setString(1, quote(t.name()));
                    ps.setString(2, c.name());
                    ps.execute();
                }
            }
        }
        return true;
    }

    private static String rows(long n) {
        return n + (n == 1 ? " row" : " rows");
    }

    /** A target whose mark is above 0 has given out user ids: the file's users would not keep theirs (see below). */
    private static boolean highWaterRaised(Connection target) throws SQLException {
        try (var st = target.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM id_high_water WHERE value <> 0")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    /**
     * One table, bound by column name. Read in rowid order: for users that is ascending id, which PostgreSQL's
     * id_high_water trigger needs to keep every id (an id at or below the mark would be replaced by the next one);
     * for sessions, client tokens and invites it is their insertion order, so the {@code seq} identity PostgreSQL
     * gives them orders them as SQLite's rowid did.
     */
    private static void copy(Connection source, Connection target, Table t) throws SQLException {
        String columns = t.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String order = t.rowid() ? " ORDER BY rowid" : "";
        String marks = t.columns().stream().map(c -> "?").collect(Collectors.joining(", "));
        try (var read = source.createStatement();
             var rs = read.executeQuery("SELECT " + columns + " FROM " + quote(t.name()) + order);
             var write = target.prepareStatement("INSERT INTO " + quote(t.name()) + " (" + columns + ") VALUES (" + marks + ")")) {
            int pending = 0;
            while (rs.next()) {
                for (int i = 0; i < t.columns().size(); i++) {
                    t.columns().get(i).kind().copy(rs, i + 1, write);
                }
                write.addBatch();
                if (++pending == BATCH) {
                    write.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
    }

    /**
     * The rows PostgreSQL's schema seeds are merged into, not inserted beside. instance_state: only claimed_at is
     * copied, once the users are in (enabled_admins is counted by triggers as they arrive, and a claimed instance
     * without an admin is refused by its CHECK). id_high_water: raised to the file's mark, which may lie above the
     * highest id copied when the newest users were deleted, so their ids are never given out again.
     */
    private static void mergeSeeded(Connection source, Connection target) throws SQLException {
        try (var read = source.createStatement();
             var rs = read.executeQuery("SELECT claimed_at FROM " + INSTANCE_STATE + " WHERE id = 1");
             var write = target.prepareStatement("UPDATE " + INSTANCE_STATE + " SET claimed_at = ? WHERE id = 1")) {
            if (rs.next()) {
                Kind.INTEGER.copy(rs, 1, write);
                write.executeUpdate();
            }
        }
        try (var read = source.createStatement();
             var rs = read.executeQuery("SELECT name, value FROM " + ID_HIGH_WATER);
             var write = target.prepareStatement("INSERT INTO " + ID_HIGH_WATER + "(name, value) VALUES (?, ?)"
                     + " ON CONFLICT (name) DO UPDATE SET value = GREATEST(" + ID_HIGH_WATER + ".value, excluded.value)")) {
            while (rs.next()) {
                write.setString(1, rs.getString(1));
                write.setLong(2, rs.getLong(2));
                write.executeUpdate();
            }
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private record SourceTable(String name, List<String> columns, boolean rowid) {}

    /** How a column's values are read and written: by the type PostgreSQL gives it, so both sides read alike. */
    private enum Kind {
        INTEGER(Types.BIGINT, (rs, i) -> {
            long v = rs.getLong(i);
            return rs.wasNull() ? null : v;
        }),
        REAL(Types.DOUBLE, (rs, i) -> {
            double v = rs.getDouble(i);
            return rs.wasNull() ? null : v;
        }),
        BYTES(Types.BINARY, ResultSet::getBytes),
        /** Text, CITEXT and anything else: sent untyped (the pool's stringtype), so PostgreSQL reads it as the column's type. */
        TEXT(Types.OTHER, ResultSet::getString);

        private interface Reader {
            Object read(ResultSet rs, int i) throws SQLException;
        }

        private final int sqlType;
        private final Reader reader;

        Kind(int sqlType, Reader reader) {
            this.sqlType = sqlType;
            this.reader = reader;
        }

        Object read(ResultSet rs, int i) throws SQLException {
            return reader.read(rs, i);
        }

        void copy(ResultSet from, int i, PreparedStatement to) throws SQLException {
            Object v = read(from, i);
            if (v == null) {
                to.setNull(i, sqlType);
            } else {
                to.setObject(i, v); // Long, Double, byte[] or String: the driver binds each as its own type
            }
        }

        static Kind of(String postgresType) {
            return switch (postgresType) {
                case "int2", "int4", "int8" -> INTEGER;
                case "float4", "float8", "numeric" -> REAL;
                case "bytea" -> BYTES;
                default -> TEXT;
            };
        }

        /** The value as bytes for the digest, tagged so that no two values of different kinds encode alike. */
        static void encode(Object v, ByteArrayOutputStream out) {
            byte[] bytes;
            if (v == null) {
                out.write(0);
                return;
            } else if (v instanceof byte[] b) {
                out.write(1);
                bytes = b;
            } else {
                out.write(v instanceof String ? 2 : 3);
                bytes = v.toString().getBytes(StandardCharsets.UTF_8);
            }
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write(bytes.length >>> shift);
            }
            out.write(bytes, 0, bytes.length);
        }
    }

    private record Column(String name, Kind kind) {}

    /**
     * A table both sides have: the columns copied (the file's, less those PostgreSQL generates itself), whether it is
     * read in rowid order, whether the schema seeds its rows, and the identity columns whose values are copied.
     */
    private record Table(String name, List<Column> columns, boolean rowid, boolean seeded, List<Column> identities) {}

    /** What is compared and what is copied, parents before children. */
    private record Plan(List<Table> compared, List<Table> copied, List<String> notOnPostgres) {
        static Plan of(List<SourceTable> tables, Connection target) throws SQLException {
            var targetColumns = new HashMap<String, Map<String, String[]>>();
            try (var st = target.createStatement(); var rs = st.executeQuery(
                    "SELECT c.table_name, c.column_name, c.udt_name, c.is_identity, c.identity_generation, c.is_generated"
                            + " FROM information_schema.columns c JOIN information_schema.tables t"
                            + " ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
                            + " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    targetColumns.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2),
                            new String[] {rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)});
                }
            }
            var byName = new LinkedHashMap<String, Table>();
            var notOnPostgres = new ArrayList<String>();
            for (SourceTable s : tables) {
                var there = targetColumns.get(s.name());
                if (there == null) {
                    // A table only SQLite has (e.g. one PostgreSQL replaces with its own kind of store) is named in
                    // the report rather than failing the move.
                    notOnPostgres.add(s.name());
                    continue;
                }
                var columns = new ArrayList<Column>();
                var identities = new ArrayList<Column>();
                for (String name : s.columns()) {
                    String[] info = there.get(name);
                    if (info == null) {
                        // The same schema version on both sides: a column missing here is a schema bug, and
                        // dropping its values silently would lose data.
                        throw new Backups.Refused("PostgreSQL's " + s.name() + " has no column " + name
                                + ", which the SQLite file's has; nothing was copied");
                    }
                    if ("ALWAYS".equals(info[2]) || "ALWAYS".equals(info[3])) {
                        continue; // PostgreSQL generates these and refuses a value for them
                    }
                    var column = new Column(name, Kind.of(info[0]));
                    columns.add(column);
                    if ("YES".equals(info[1])) {
                        identities.add(column);
                    }
                }
                boolean seeded = s.name().equals(INSTANCE_STATE) || s.name().equals(ID_HIGH_WATER);
                byName.put(s.name(), new Table(s.name(), columns, s.rowid(), seeded, identities));
            }
            var ordered = parentsFirst(byName, target);
            return new Plan(ordered, ordered.stream().filter(t -> !t.seeded()).toList(), notOnPostgres);
        }

        /** Tables ordered so that every table a foreign key points at comes before the table holding the key. */
        private static List<Table> parentsFirst(Map<String, Table> tables, Connection target) throws SQLException {
            var parents = new HashMap<String, Set<String>>();
            tables.keySet().forEach(t -> parents.put(t, new TreeSet<>()));
            try (var st = target.createStatement(); var rs = st.executeQuery(
                    "SELECT child.relname, parent.relname FROM pg_constraint k"
                            + " JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid"
                            + " WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace")) {
                while (rs.next()) {
                    String child = rs.getString(1);
                    String parent = rs.getString(2);
                    if (tables.containsKey(child) && tables.containsKey(parent) && !child.equals(parent)) {
                        parents.get(child).add(parent);
                    }
                }
            }
            var ordered = new ArrayList<Table>();
            var placed = new TreeSet<String>();
            while (ordered.size() < tables.size()) {
                var ready = new TreeSet<String>();
                for (var t : tables.keySet()) {
                    if (!placed.contains(t) && placed.containsAll(parents.get(t))) {
                        ready.add(t);
                    }
                }
                if (ready.isEmpty()) {
                    throw new Backups.Refused("the foreign keys between " + tables.keySet().stream()
                            .filter(t -> !placed.contains(t)).toList() + " form a cycle; nothing was copied");
                }
                for (String t : ready) {
                    ordered.add(tables.get(t));
                    placed.add(t);
                }
            }
            return ordered;
        }
    }

    /**
     * A table's rows, counted and hashed without regard to their order (the two databases sort text differently):
     * the XOR of one SHA-256 per row over the copied columns, each read as PostgreSQL types it. Equal digests mean
     * equal rows, as no two rows of a table are alike (each has a key).
     */
    private record Digest(long rows, byte[] xor) {
        static Digest of(Connection c, Table t) throws SQLException {
            String columns = t.columns().stream().map(col -> quote(col.name())).collect(Collectors.joining(", "));
            MessageDigest sha = sha256();
            byte[] acc = new byte[32];
            long rows = 0;
            var row = new ByteArrayOutputStream();
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT " + columns + " FROM " + quote(t.name()))) {
                while (rs.next()) {
                    row.reset();
                    for (int i = 0; i < t.columns().size(); i++) {
                        Kind.encode(t.columns().get(i).kind().read(rs, i + 1), row);
                    }
                    byte[] h = sha.digest(row.toByteArray());
                    for (int i = 0; i < acc.length; i++) {
                        acc[i] ^= h[i];
                    }
                    rows++;
                }
            }
            return new Digest(rows, acc);
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Digest d && d.rows == rows && Arrays.equals(d.xor, xor);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(rows) * 31 + Arrays.hashCode(xor);
        }
    }
}
