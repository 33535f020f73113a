package latch.cli;

import latch.access.Principal;
import latch.account.Accounts;
import latch.account.AdminUserView;
import latch.account.UserAdministration;
import latch.backup.Backups;
import latch.backup.MoveToPostgres;
import latch.config.InvalidSetting;
import latch.db.DatabaseException;
import latch.db.DatabaseUrl;
import latch.http.ApiError;
import latch.keys.PublishedKeys;
import latch.password.PasswordPolicy;
import latch.recovery.IssuedLink;
import latch.recovery.RecoveryService;
import latch.setup.SetupCode;
import latch.token.KeyRing;
import latch.token.RandomSecrets;
import latch.user.Role;
import latch.user.User;
import latch.user.UserDirectory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code java -jar latch.jar admin <command>}: the way back in when nobody can sign in. It acts through the same
 * services as the web API, as the "command line" system actor, on the server's own database, stopped or running;
 * a running server hears of the changes on the change feed within a second or two. Never exits the JVM:
 * {@link #run} returns the exit code (0 done, 1 refused or failed, 2 wrong usage).
 */
public final class AdminCli {
    static final String USAGE = """
            usage: java -jar latch.jar admin <command> [--data-dir DIR]

              list-users                         every account: id, username, role, enabled, banned
              reset-password <user> [--stdin] [--keep-tokens]
                                                 a new password (a temporary one printed once, or one line read
                                                 from standard input); lifts any sign-in ban, ends every session
                                                 and, unless --keep-tokens, revokes every client API token
              create-admin <username> [--stdin]  a new enabled admin, with a password as above
              unban <user>                       lifts the sign-in ban that follows too many wrong passwords
              login-link <user>                  prints a one-time sign-in link, valid 10 minutes; works even with
                                                 DISABLE_USERPASS_LOGIN=true (the way in when the provider fails)
              reset-link <user>                  prints a one-time link to choose a new password, valid
                                                 RESET_LINK_TTL_SECONDS; a newer link voids the older one
              rotate-keys                        new signing keys (netplay's published a minute ahead); tokens signed
                                                 before stay valid until they expire
              backup <file> [--force]            a consistent copy of the database, taken while the server runs;
                                                 readable by you only; --force replaces an existing file
              restore <file>                     replaces the database with a backup (server stopped); the old one
                                                 is kept beside it as latch.db.before-restore-<time>
              migrate --from <latch.db> [--to <postgres://...>]
                                                 copies a stopped install's SQLite file into an empty PostgreSQL
                                                 database (default: LATCH_DATABASE_URL) and checks every table;
                                                 the file is only read; a second run changes nothing
              help                               this text

            <user> is a username or a numeric id. The data directory and password settings (LATCH_DATA_DIR,
            LATCH_ARGON2_*, LATCH_PASSWORD_*) are read from the environment, as for the server; links point at
            LATCH_PUBLIC_URL, or http://localhost:LATCH_PORT when it is unset. A backup does not hold the key that
            opens its sealed signing keys (latch.key in the data directory, or LATCH_ENCRYPTION_KEY): keep that too.
            """;

    /** No 0/O, 1/l/I: a temporary password gets read off a screen and typed. */
    static final String TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    static final int TEMPORARY_LENGTH = 20;
    private static final String ACTOR = "command line";
    private static final int PAGE = 200;

    /** The services a command needs, wired by the composition root exactly as the server wires them. */
    public interface Toolbox extends AutoCloseable {
        UserAdministration users();

        UserDirectory directory();

        Accounts accounts();

        PasswordPolicy policy();

        Set<String> allScopes();

        /** The generated signing keys; empty when LATCH_AUTH_SECRET_KEY supplies a fixed one or the encryption key is missing. */
        List<KeyRing> keyRings();

        /** The published (netplay) signing keys; empty when the encryption key is missing. */
        List<PublishedKeys> publishedKeys();

        /** One-time sign-in and reset links. */
        RecoveryService recovery();

        /** Where the links point: LATCH_PUBLIC_URL, or this machine's Latch when it is unset. */
        String linkOrigin();

        /** Whether LATCH_AUTH_SECRET_KEY supplies the one signing key. */
        boolean usesFixedKey();

        Path dataDir();

        @Override
        void close();
    }

    /** Opens the toolbox for the settings these flags and the environment give; refuses a missing database unless asked. */
    @FunctionalInterface
    public interface Opener {
        Toolbox open(String[] settingFlags, boolean mayCreate);
    }

    /** The whole-file commands (backup, restore) for the data directory these flags and the environment name. */
    @FunctionalInterface
    public interface BackupsOpener {
        Backups open(String[] settingFlags);
    }

    /**
     * What a move to PostgreSQL reads from the environment: the database it goes to when --to is absent
     * (LATCH_DATABASE_URL), the encryption key the nodes will use (LATCH_ENCRYPTION_KEY), how long to wait for the server.
     */
    public record MoveSettings(Optional<DatabaseUrl> url, Optional<byte[]> encryptionKey, Duration startWait) {}

    /** Reads {@link MoveSettings} for these flags and the environment. */
    @FunctionalInterface
    public interface MoveSettingsReader {
        MoveSettings read(String[] settingFlags);
    }

    private final Opener opener;
    private final BackupsOpener backups;
    private final MoveSettingsReader moveSettings;

    public AdminCli(Opener opener, BackupsOpener backups, MoveSettingsReader moveSettings) {
        this.opener = opener;
        this.backups = backups;
        this.moveSettings = moveSettings;
    }

    /** Runs one command; {@code args} start after {@code admin}. */
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            Invocation call = Invocation.parse(args);
            if (call.command() == null) {
                err.print(USAGE);
                return 2;
            }
            String[] flags = call.settingFlags().toArray(String[]::new);
            switch (call.command()) {
                case "help":
                    out.print(USAGE);
                    return 0;
                case "list-users":
                    call.expect(0, Set.of(), "list-users");
                    try (var latch = opener.open(flags, false)) {
                        listUsers(latch, out);
                    }
                    return 0;
                case "reset-password":
                    call.expect(1, Set.of("--stdin", "--keep-tokens"), "reset-password <user> [--stdin] [--keep-tokens]");
                    try (var latch = opener.open(flags, false)) {
                        resetPassword(latch, call.operands().get(0), call.has("--stdin"), call.has("--keep-tokens"), in, out);
                    }
                    return 0;
                case "create-admin":
                    call.expect(1, Set.of("--stdin"), "create-admin <username> [--stdin]");
                    try (var latch = opener.open(flags, true)) {
                        createAdmin(latch, call.operands().get(0), call.has("--stdin"), in, out);
                    }
                    return 0;
                case "unban":
                    call.expect(1, Set.of(), "unban <user>");
                    try (var latch = opener.open(flags, false)) {
                        unban(latch, call.operands().get(0), out);
                    }
                    return 0;
                case "login-link":
                    call.expect(1, Set.of(), "login-link <user>");
                    try (var latch = opener.open(flags, false)) {
                        loginLink(latch, call.operands().get(0), out);
                    }
                    return 0;
                case "reset-link":
                    call.expect(1, Set.of(), "reset-link <user>");
                    try (var latch = opener.open(flags, false)) {
                        resetLink(latch, call.operands().get(0), out);
                    }
                    return 0;
                case "rotate-keys":
                    call.expect(0, Set.of(), "rotate-keys");
                    try (var latch = opener.open(flags, false)) {
                        rotateKeys(latch, out);
                    }
                    return 0;
                case "backup":
                    call.expect(1, Set.of("--force"), "backup <file> [--force]");
                    backup(backups.open(flags), Path.of(call.operands().get(0)), call.has("--force"), out);
                    return 0;
                case "restore":
                    call.expect(1, Set.of(), "restore <file>");
                    restore(backups.open(flags), Path.of(call.operands().get(0)), out);
                    return 0;
                case "migrate":
                    call.expect(0, Set.of(), Set.of("--from", "--to"), "migrate --from <latch.db> [--to <postgres://...>]");
                    return migrate(call.option("--from").orElseThrow(() -> new Usage("migrate needs --from <latch.db>")),
                            call.option("--to"), moveSettings.read(flags), out);
                default:
                    throw new Usage("unknown command '" + call.command() + "'");
            }
        } catch (Usage e) {
            err.println("latch admin: " + e.getMessage());
            err.println("Run 'java -jar latch.jar admin help' for the commands.");
            return 2;
        } catch (InvalidSetting e) {
            err.println("latch admin: invalid setting " + e.getMessage());
            return 2;
        } catch (Failure | ApiError | DatabaseException | Backups.Refused e) {
            err.println("latch admin: " + e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            // What stops the server starting (e.g. an encryption key the shared database refuses) stops a command too.
            err.println("latch admin: " + e.getMessage());
            return 1;
        }
    }

    private static Principal actor(Toolbox latch) {
        return Principal.system(ACTOR, latch.allScopes());
    }

    private void listUsers(Toolbox latch, PrintStream out) {
        var rows = new ArrayList<String[]>();
        rows.add(new String[] {"ID", "USERNAME", "ROLE", "ENABLED", "BANNED"});
        String cursor = null;
        do {
            var page = latch.users().list(null, cursor, PAGE);
            for (AdminUserView u : page.users()) {
                rows.add(new String[] {Long.toString(u.id()), u.username(), u.role(), yesNo(u.enabled()), yesNo(u.banned())});
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        if (rows.size() == 1) {
            out.println("No users yet: create one with create-admin <username>.");
            return;
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            var line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.println(line);
        }
    }

    private void resetPassword(Toolbox latch, String who, boolean fromStdin, boolean keepTokens, InputStream in, PrintStream out) {
        User user = find(latch, who);
        String password = fromStdin ? readPassword(in) : temporaryPassword(latch.policy());
        boolean wasBanned = latch.users().resetPassword(actor(latch), user.id(), password, keepTokens, null);
        if (!fromStdin) {
            out.println("Temporary password for " + user.username() + " (shown once): " + password);
        }
        out.println("Password of " + user.username() + " (id " + user.id() + ") reset" + (wasBanned ? "; sign-in ban lifted" : "") + ".");
        out.println("Every session of " + user.username() + " has ended" + (keepTokens ? "; client API tokens were kept" :
                ", and every client API token is revoked") + "; a running server notices within a second or two.");
        if (!fromStdin) {
            out.println("Sign in with it and choose a new password on the account page.");
        }
        if (!user.enabled()) {
            out.println("Note: this account is disabled; it cannot sign in until an admin enables it.");
        }
    }

    private void createAdmin(Toolbox latch, String username, boolean fromStdin, InputStream in, PrintStream out) {
        String password = fromStdin ? readPassword(in) : temporaryPassword(latch.policy());
        Principal actor = actor(latch);
        var prepared = latch.accounts().prepare(actor, username, password, Role.ADMIN, null, null);
        boolean first = !latch.directory().isClaimed();
        User created;
        try {
            created = first ? latch.accounts().createFirstAdmin(prepared, actor, null, "command line")
                    : latch.accounts().create(prepared, actor, null, "command line");
        } catch (ApiError e) {
            // Only an existing account is one reset-password can act on; a name taken as a netplay name is not.
            if ("username_taken".equals(e.code()) && latch.directory().findByUsername(username).isPresent()) {
                throw new Failure("The username '" + username + "' is taken; use reset-password " + username
                        + " if that account is yours.");
            }
            throw e;
        }
        if (!fromStdin) {
            out.println("Password for " + created.username() + " (shown once): " + password);
        }
        out.println("Created admin " + created.username() + " (id " + created.id() + ").");
        if (first) {
            // With an admin in place setup is done: the same call the server makes at start deletes the spent code.
            SetupCode.prepare(latch.dataDir(), Optional.empty(), true);
            out.println("Setup is complete; the setup code is no longer needed.");
        }
    }

    private void unban(Toolbox latch, String who, PrintStream out) {
        User user = find(latch, who);
        if (latch.users().unban(actor(latch), user.id(), null)) {
            out.println("Lifted the sign-in ban on " + user.username() + "; they can sign in again now.");
        } else {
            out.println(user.username() + " is not banned; nothing to do.");
        }
    }

    private void loginLink(Toolbox latch, String who, PrintStream out) {
        User user = find(latch, who);
        IssuedLink link = latch.recovery().loginLink(actor(latch), user);
        out.println("Sign-in link for " + user.username() + " (shown once; works once, until " + link.expiresAt() + "):");
        out.println(link.url(latch.linkOrigin()));
        out.println("Open it in the browser that should be signed in. Anyone holding it can sign in as "
                + user.username() + " until it is used or expires.");
    }

    private void resetLink(Toolbox latch, String who, PrintStream out) {
        User user = find(latch, who);
        IssuedLink link = latch.recovery().resetLink(actor(latch), user.id(), null);
        out.println("Password reset link for " + user.username() + " (shown once; works once, until " + link.expiresAt() + "):");
        out.println(link.url(latch.linkOrigin()));
        out.println("Hand it to " + user.username() + " another way; choosing a new password with it ends every session"
                + " of theirs. Any older reset link of theirs no longer works.");
    }

    private void rotateKeys(Toolbox latch, PrintStream out) {
        if (latch.usesFixedKey()) {
            throw new Failure("the signing key comes from LATCH_AUTH_SECRET_KEY; to rotate it, change that variable"
                    + " (everyone signs in again)");
        }
        if (latch.keyRings().isEmpty()) {
            throw new Failure("the encryption key that seals the signing keys is not here (no latch.key in the data directory,"
                    + " no LATCH_ENCRYPTION_KEY): run this where the server's is, or new keys would be sealed with one it"
                    + " cannot open");
        }
        for (KeyRing ring : latch.keyRings()) {
            ring.rotate();
            out.println("Rotated the " + ring.purpose() + " signing key.");
        }
        for (PublishedKeys keys : latch.publishedKeys()) {
            try {
                keys.rotate(false);
                out.println("Published a new " + keys.purpose() + " signing key; it signs in a minute, once verifiers"
                        + " holding the old key set have fetched it again.");
            } catch (ApiError pending) {
                out.println("A new " + keys.purpose() + " signing key is already waiting to sign.");
            }
        }
        out.println("New tokens are signed with the new keys; tokens signed before stay valid until they expire."
                + " A running server notices within a second or two.");
    }

    private void backup(Backups backups, Path file, boolean force, PrintStream out) {
        var made = backups.backup(file, force);
        out.println("Backed up the database (schema version " + made.schemaVersion() + ", " + made.bytes() + " bytes) to "
                + made.file() + ", readable by you only.");
        out.println("Keep the encryption key with it, apart from it: latch.key in the data directory, or"
                + " LATCH_ENCRYPTION_KEY. Without the same key a restored Latch cannot open its sealed signing keys.");
    }

    private void restore(Backups backups, Path file, PrintStream out) {
        var restored = backups.restore(file);
        out.println("Restored the database from " + restored.from() + " (schema version " + restored.schemaVersion() + ").");
        if (restored.keptAs() != null) {
            out.println("The database it replaced is kept as " + restored.keptAs() + ".");
        }
        out.println("Start Latch with the same latch.key or LATCH_ENCRYPTION_KEY as when the backup was made; it brings"
                + " an older schema up to date at start. Everyone signed in since the backup signs in again.");
    }

    private int migrate(String from, Optional<String> to, MoveSettings settings, PrintStream out) {
        DatabaseUrl url;
        try {
            url = to.isPresent() ? DatabaseUrl.parse(to.get()).orElseThrow(() -> new Usage("--to is empty"))
                    : settings.url().orElseThrow(() -> new Usage("name the PostgreSQL database: --to postgres://user:password"
                    + "@host:5432/dbname, or LATCH_DATABASE_URL"));
        } catch (IllegalArgumentException e) {
            // The parser names the problem and never repeats the value, which may hold a password.
            throw new Failure("--to " + e.getMessage());
        }
        var moved = new MoveToPostgres(settings.startWait()).move(Path.of(from), url, settings.encryptionKey());
        out.println((moved.copied() ? "Copied " : "Compared ") + moved.from() + " (schema version " + moved.schemaVersion()
                + ") " + (moved.copied() ? "to" : "with") + " the " + moved.to() + ":");
        int width = Math.max("TABLE".length(), moved.counts().stream().mapToInt(c -> c.table().length()).max().orElse(0));
        out.printf("  %-" + width + "s  %10s  %10s%n", "TABLE", "SQLITE", "POSTGRESQL");
        for (var c : moved.counts()) {
            out.printf("  %-" + width + "s  %10d  %10d%n", c.table(), c.sqlite(), c.postgres());
        }
        if (!moved.notOnPostgres().isEmpty()) {
            out.println("Not copied, as PostgreSQL has no such table: " + String.join(", ", moved.notOnPostgres()) + ".");
        }
        out.println(moved.copied() ? "Every table holds the same rows on PostgreSQL as in the SQLite file."
                : "PostgreSQL already holds exactly this data (an earlier migrate): nothing was copied or changed.");
        var key = moved.key();
        if (key.configured()) {
            out.println("LATCH_ENCRYPTION_KEY opens " + key.opened() + " of the " + key.sealed() + " sealed values: give"
                    + " every node the same LATCH_ENCRYPTION_KEY.");
        } else if (key.keyFile() != null) {
            out.println("The signing keys stay sealed with the install's key (it opens " + key.opened() + " of the "
                    + key.sealed() + " sealed values): set LATCH_ENCRYPTION_KEY on every node to the contents of "
                    + key.keyFile() + " (or LATCH_ENCRYPTION_KEY_FILE to a copy of that file).");
        } else {
            out.println("No encryption key here to check the sealed signing keys with: set LATCH_ENCRYPTION_KEY on every"
                    + " node to the contents of the old latch.key (in the SQLite server's data directory), or to the"
                    + " LATCH_ENCRYPTION_KEY that server ran with.");
        }
        out.println("Then set LATCH_DATABASE_URL on every node and start them. The SQLite file was only read: to go back,"
                + " unset LATCH_DATABASE_URL and start Latch on it (changes made on PostgreSQL since are not carried back).");
        return 0;
    }

    /** A username, or else a numeric id; the username wins when both match. */
    private static User find(Toolbox latch, String who) {
        var users = latch.directory();
        Optional<User> user = users.findByUsername(who);
        if (user.isEmpty() && who.matches("[0-9]{1,18}")) {
            user = users.findCurrent(Long.parseLong(who));
        }
        return user.orElseThrow(() -> new Failure("there is no user '" + who + "' (give a username or an id; list-users shows them)"));
    }

    /** One line, used exactly as given (only the line break is dropped), like a password typed into the web form. */
    private static String readPassword(InputStream in) {
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new Failure("--stdin expects the password on the first line of standard input, and it is empty");
            }
            return line;
        } catch (IOException e) {
            throw new Failure("cannot read standard input: " + e.getMessage());
        }
    }

    private static String temporaryPassword(PasswordPolicy policy) {
        int length = Math.min(Math.max(TEMPORARY_LENGTH, policy.min()), policy.max());
        return RandomSecrets.fromAlphabet(TEMPORARY_ALPHABET, length);
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /** The command line split into the command, its operands, its switches and the flags the settings read. */
    private record Invocation(String command, List<String> operands, Set<String> switches,
                              java.util.Map<String, String> options, List<String> settingFlags) {
        private static final Set<String> SWITCHES = Set.of("--stdin", "--keep-tokens", "--force");
        /** Options that take a value, as {@code --from FILE} or {@code --from=FILE}. */
        private static final Set<String> OPTIONS = Set.of("--from", "--to");

        static Invocation parse(String[] args) {
            String command = null;
            var operands = new ArrayList<String>();
            var flags = new ArrayList<String>();
            var switches = new java.util.HashSet<String>();
            var options = new java.util.HashMap<String, String>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int eq = arg.indexOf('=');
                String option = eq < 0 ? arg : arg.substring(0, eq);
                if (OPTIONS.contains(option)) {
                    if (eq < 0 && i + 1 >= args.length) {
                        throw new Usage(arg + " needs a value");
                    }
                    if (options.put(option, eq < 0 ? args[++i] : arg.substring(eq + 1)) != null) {
                        throw new Usage(option + " is given twice");
                    }
                } else if (arg.equals("--data-dir")) {
                    if (i + 1 >= args.length) {
                        throw new Usage("--data-dir needs a value");
                    }
                    flags.add(arg);
                    flags.add(args[++i]);
                } else if (arg.startsWith("--data-dir=")) {
                    flags.add(arg);
                } else if (SWITCHES.contains(arg)) {
                    switches.add(arg);
                } else if (arg.equals("--help") || arg.equals("-h")) {
                    command = "help";
                } else if (arg.startsWith("-")) {
                    throw new Usage("unknown option '" + arg + "'");
                } else if (command == null) {
                    command = arg;
                } else {
                    operands.add(arg);
                }
            }
            return new Invocation(command, operands, switches, options, flags);
        }

        boolean has(String name) {
            return switches.contains(name);
        }

        Optional<String> option(String name) {
            return Optional.ofNullable(options.get(name));
        }

        void expect(int operandCount, Set<String> allowed, String usage) {
            expect(operandCount, allowed, Set.of(), usage);
        }

        void expect(int operandCount, Set<String> allowedSwitches, Set<String> allowedOptions, String usage) {
            if (operands.size() != operandCount || !allowedSwitches.containsAll(switches)
                    || !allowedOptions.containsAll(options.keySet())) {
                throw new Usage("usage: latch admin " + usage + " [--data-dir DIR]");
            }
        }
    }

    /** Wrong command line: exit code 2. */
    private static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    /** The command cannot be done: exit code 1, one line. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }
}
