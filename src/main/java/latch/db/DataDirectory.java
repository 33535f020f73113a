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

    /** Takes group and other permissions away from the directory and every file in it; logs what it changed. */
    public static void tighten(Path dir) throws IOException {
        if (!isPosix(dir)) {
            return;
        }
        var changed = new ArrayList<String>();
        restrict(dir, OWNER_DIR, changed);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    restrict(f, OWNER_FILE, changed);
                }
            }
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
