package latch.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory holds password hashes, sealed keys and the key that opens them: only Latch's own user may
 * read it. Checked on every start, not only at creation, because an older Latch, a restored backup or a copy made
 * with default permissions leaves files others can read.
 */
public final class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {}

    /** Creates the directory and an empty database file with owner-only permissions, if they are missing. */
    static void prepare(Path dir, String databaseFile) throws IOException {
        if (!isPosix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        }
        Path db = dir.resolve(databaseFile);
        if (!Files.exists(db)) {
            Files.createFile(db, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        }
    }

    /** The files Latch keeps in its data directory; nothing else in it is Latch's to change. */
    static final Set<String> OWN_FILES = Set.of("latch.db", "latch.db-wal", "latch.db-shm", "latch.db-journal", "latch.key",
            "setup-code");

    /** The database as it was before {@code admin restore} replaced it: kept beside it, named with the time. */
    public static final String BEFORE_RESTORE_PREFIX = "latch.db.before-restore-";

    private static boolean isOwn(String name) {
        return OWN_FILES.contains(name) || name.startsWith(BEFORE_RESTORE_PREFIX);
    }

    /**
     * Takes group and other permissions away from Latch's own files and, when it holds nothing else, from the
     * directory itself (a data directory pointed at a shared place such as /tmp or a home must not be locked);
     * logs what it changed.
     */
    public static void tighten(Path dir) throws IOException {
        if (!isPosix(dir)) {
            return;
        }
        var changed = new ArrayList<String>();
        boolean onlyOurs = true;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                boolean ours = isOwn(f.getFileName().toString());
                onlyOurs &= ours;
                if (ours && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    restrict(f, OWNER_FILE, changed);
                }
            }
        }
        if (onlyOurs) {
            restrict(dir, OWNER_DIR, changed);
        } else if (!Files.getPosixFilePermissions(dir).stream().allMatch(OWNER_DIR::contains)) {
            log.warn("data directory {} holds files other than Latch's, so its permissions are left as they are; give Latch"
                    + " a directory of its own", dir.toAbsolutePath());
        }
        if (!changed.isEmpty()) {
            log.warn("data directory {}: others could read {}; now readable by Latch's user only", dir.toAbsolutePath(),
                    String.join(", ", changed));
        }
    }

    /** Creates {@code file} readable by the owner only (it must not exist yet). */
    public static void createPrivateFile(Path file) throws IOException {
        if (isPosix(file.getParent() == null ? file.toAbsolutePath().getParent() : file.getParent())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } else {
            Files.createFile(file);
        }
    }

    private static void restrict(Path p, Set<PosixFilePermission> wanted, java.util.List<String> changed) throws IOException {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        var tightened = new java.util.HashSet<>(now);
        tightened.retainAll(wanted);
        if (!tightened.equals(now)) {
            Files.setPosixFilePermissions(p, tightened);
            changed.add(p.getFileName() + " (" + PosixFilePermissions.toString(now) + ")");
        }
    }

    private static boolean isPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
