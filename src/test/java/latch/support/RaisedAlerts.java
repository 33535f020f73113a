package latch.support;

import latch.Deps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alerts every {@link TestLatch} opened, for {@link AlertCheck}. JUnit builds the extension and the tests build
 * the servers, so the one place both reach is this class: its state is static, and test-only. An alert counts as
 * opened once per occurrence: a new row, or a repeat an open row absorbed (its count went up). Databases are told
 * apart by file, so a test that restarts a server on the same directory does not see the first run's alerts twice.
 */
final class RaisedAlerts {
    private static final Set<Deps> LIVE = new LinkedHashSet<>();
    /** Per database file: each alert's id and the count last seen. */
    private static final Map<String, Map<Long, Long>> SEEN = new HashMap<>();
    private static final List<String> PENDING = new ArrayList<>();

    private RaisedAlerts() {}

    /** A server that runs beyond one call ({@link TestLatch#start}): looked at after each test until it stops. */
    static synchronized void watch(Deps deps) {
        LIVE.add(deps);
    }

    /** Takes note of what {@code deps} raised since last looked at; a server about to stop is then forgotten. */
    static synchronized void collect(Deps deps, boolean stopping) {
        if (stopping) {
            LIVE.remove(deps);
        }
        Map<Long, Long> seen = SEEN.computeIfAbsent(deps.db().name(), f -> new HashMap<>());
        List<String[]> rows;
        try {
            rows = deps.db().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT id, count, kind, username, source, detail FROM alerts ORDER BY id")) {
                    var out = new ArrayList<String[]>();
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)});
                    }
                    return out;
                }
            });
        } catch (RuntimeException e) {
            LIVE.remove(deps); // closed by the test itself: nothing more to learn from it
            return;
        }
        for (String[] r : rows) {
            long id = Long.parseLong(r[0]);
            long count = Long.parseLong(r[1]);
            Long before = seen.put(id, count);
            long opened = count - (before == null ? 0 : before);
            if (opened > 0) {
                PENDING.add(r[2] + (r[3] == null ? "" : " for " + r[3]) + (r[4] == null ? "" : " from " + r[4]) + ": " + r[5]
                        + (opened > 1 ? " (x" + opened + ")" : ""));
            }
        }
    }

    /** What was raised since the last call, the servers still running looked at first. */
    static synchronized List<String> drain() {
        for (Deps deps : List.copyOf(LIVE)) {
            collect(deps, false);
        }
        var out = List.copyOf(PENDING);
        PENDING.clear();
        return out;
    }

    /** A test class is done: its databases are not seen again. */
    static synchronized void forgetDatabases() {
        SEEN.clear();
    }
}
