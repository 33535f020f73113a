package latch.cli;

import latch.Settings;
import latch.config.InvalidSetting;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.audit.SqliteAuditStore;
import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Migrations;
import latch.db.OutsideChanges;
import latch.db.SqliteOutsideChanges;
import latch.http.ApiError;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.Regulation;
import latch.session.SqliteLoginFailureStore;
import latch.session.SqliteSessionStore;
import latch.setup.SetupCode;
import latch.token.RandomSecrets;
import latch.user.NewUser;
import latch.user.Role;
import latch.user.SqliteUserStore;
import latch.user.User;
import latch.user.UserService;
import latch.user.UserStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar latch.jar admin <command>}: the way back in when nobody can sign in. Works on the server's own
 * database, stopped or running; a running server notices the changes within a few seconds (OutsideChanges). Never exits the JVM:
 * {@link #run} returns the exit code (0 done, 1 refused or failed, 2 wrong usage).
 */
public final class AdminCli {
    static final String USAGE = """
            usage: java -jar latch.jar admin <command> [--data-dir DIR]

              list-users                         every account: id, username, role, enabled, banned
              reset-password <user> [--stdin]    a new password (a temporary one printed once, or one line read
                                                 from standard input); lifts any sign-in ban, ends every session
              create-admin <username> [--stdin]  a new enabled admin, with a password as above
              unban <user>                       lifts the sign-in ban that follows too many wrong passwords
              help                               this text

            <user> is a username or a numeric id. The data directory and password settings (LATCH_DATA_DIR,
            LATCH_ARGON2_*, LATCH_PASSWORD_*) are read from the environment, as for the server.
            """;

    /** No 0/O, 1/l/I: a temporary password gets read off a screen and typed. */
    static final String TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    static final int TEMPORARY_LENGTH = 20;
    private static final String DETAIL = "admin cli";
    private static final int PAGE = 200;

    private final Clock clock;

    public AdminCli(Clock clock) {
        this.clock = clock;
    }

    /** Runs one command; {@code args} start after {@code admin}. */
    public int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        try {
            Invocation call = Invocation.parse(args);
            if (call.command() == null) {
                err.print(USAGE);
                return 2;
            }
            if (call.command().equals("help")) {
                out.print(USAGE);
                return 0;
            }
            Settings settings = Settings.parse(env, call.settingFlags().toArray(String[]::new));
            switch (call.command()) {
                case "list-users":
                    call.expect(0, false, "list-users");
                    try (var latch = Instance.open(settings, clock, false)) {
                        listUsers(latch, out);
                    }
                    return 0;
                case "reset-password":
                    call.expect(1, true, "reset-password <user> [--stdin]");
                    try (var latch = Instance.open(settings, clock, false)) {
                        resetPassword(latch, call.operands().get(0), call.stdin(), in, out);
                    }
                    return 0;
                case "create-admin":
                    call.expect(1, true, "create-admin <username> [--stdin]");
                    UserService.checkUsername(call.operands().get(0));
                    try (var latch = Instance.open(settings, clock, true)) {
                        createAdmin(latch, call.operands().get(0), call.stdin(), in, out);
                    }
                    return 0;
                case "unban":
                    call.expect(1, false, "unban <user>");
                    try (var latch = Instance.open(settings, clock, false)) {
                        unban(latch, call.operands().get(0), out);
                    }
                    return 0;
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
        } catch (Failure | ApiError | DatabaseException e) {
            err.println("latch admin: " + e.getMessage());
            return 1;
        }
    }

    private void listUsers(Instance latch, PrintStream out) {
        var rows = new ArrayList<String[]>();
        rows.add(new String[] {"ID", "USERNAME", "ROLE", "ENABLED", "BANNED"});
        String after = null;
        while (true) {
            List<User> page = latch.users.list(null, after, PAGE);
            for (User u : page) {
                rows.add(new String[] {Long.toString(u.id()), u.username(), u.role().wireName(), yesNo(u.enabled()),
                        yesNo(latch.regulation.isBanned(u.id()))});
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).username();
        }
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

    private void resetPassword(Instance latch, String who, boolean fromStdin, InputStream in, PrintStream out) {
        User user = latch.find(who);
        String password = fromStdin ? readPassword(in) : temporaryPassword(latch.policy);
        latch.policy.checkNew(password, "password");
        String hash = latch.hasher().hash(password);
        try {
            latch.users.updatePasswordHash(user.id(), hash);
        } catch (UserStore.LastAdminException e) {
            throw new Failure("this database has no enabled admin, so nothing can change; add one with create-admin first");
        }
        boolean wasBanned = latch.regulation.lift(user.id());
        // Whoever knew the old password is out: every browser session and OAuth grant ends, as in the web UI.
        int ended = latch.sessions.endAll(user.id(), null, clock.instant()).size();
        latch.changes.announce();
        latch.audit.record(AuditType.PASSWORD_RESET, Outcome.SUCCESS, (User) null, user, null, DETAIL);
        if (wasBanned) {
            latch.audit.record(AuditType.ACCOUNT_UNBANNED, Outcome.SUCCESS, (User) null, user, null, DETAIL);
        }
        latch.audit.record(AuditType.SESSIONS_ENDED, Outcome.SUCCESS, (User) null, user, null,
                "password reset (" + DETAIL + ") (" + ended + " ended)");

        if (!fromStdin) {
            out.println("Temporary password for " + user.username() + " (shown once): " + password);
        }
        out.println("Password of " + user.username() + " (id " + user.id() + ") reset" + (wasBanned ? "; sign-in ban lifted" : "") + ".");
        out.println("Ended " + plural(ended, "session") + "; a running server notices within a few seconds.");
        if (!fromStdin) {
            out.println("Sign in with it and choose a new password on the account page.");
        }
        if (!user.enabled()) {
            out.println("Note: this account is disabled; it cannot sign in until an admin enables it.");
        }
    }

    private void createAdmin(Instance latch, String username, boolean fromStdin, InputStream in, PrintStream out) {
        String password = fromStdin ? readPassword(in) : temporaryPassword(latch.policy);
        latch.policy.checkNew(password, "password");
        boolean first = latch.users.count() == 0;
        User created = latch.users.create(new NewUser(username, latch.hasher().hash(password), Role.ADMIN, null, null))
                .orElseThrow(() -> ApiError.conflict("username_taken", "The username '" + username
                        + "' is taken; use reset-password " + username + " if that account is yours."));
        latch.audit.record(AuditType.USER_CREATED, Outcome.SUCCESS, (User) null, created, null, DETAIL);
        if (!fromStdin) {
            out.println("Password for " + created.username() + " (shown once): " + password);
        }
        out.println("Created admin " + created.username() + " (id " + created.id() + ").");
        if (first) {
            // With a user in place setup is done: the same call the server makes at start deletes the spent code.
            SetupCode.prepare(latch.settings.dataDir(), Optional.empty(), true);
            out.println("Setup is complete; the setup code is no longer needed.");
        }
    }

    private void unban(Instance latch, String who, PrintStream out) {
        User user = latch.find(who);
        if (latch.regulation.lift(user.id())) {
            latch.audit.record(AuditType.ACCOUNT_UNBANNED, Outcome.SUCCESS, (User) null, user, null, DETAIL);
            out.println("Lifted the sign-in ban on " + user.username() + "; they can sign in again now.");
        } else {
            out.println(user.username() + " is not banned; nothing to do.");
        }
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

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** The command line split into the command, its operands, {@code --stdin} and the flags {@link Settings} reads. */
    private record Invocation(String command, List<String> operands, boolean stdin, List<String> settingFlags) {
        static Invocation parse(String[] args) {
            String command = null;
            var operands = new ArrayList<String>();
            var flags = new ArrayList<String>();
            boolean stdin = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--data-dir")) {
                    if (i + 1 >= args.length) {
                        throw new Usage("--data-dir needs a value");
                    }
                    flags.add(arg);
                    flags.add(args[++i]);
                } else if (arg.startsWith("--data-dir=")) {
                    flags.add(arg);
                } else if (arg.equals("--stdin")) {
                    stdin = true;
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
            return new Invocation(command, operands, stdin, flags);
        }

        void expect(int operandCount, boolean takesStdin, String usage) {
            if (operands.size() != operandCount || (stdin && !takesStdin)) {
                throw new Usage("usage: latch admin " + usage + " [--data-dir DIR]");
            }
        }
    }

    /** The database and the stores the commands need, opened for one command and closed after it. */
    private static final class Instance implements AutoCloseable {
        final Settings settings;
        final Database db;
        final UserStore users;
        final SqliteSessionStore sessions;
        final Regulation regulation;
        final AuditService audit;
        final PasswordPolicy policy;
        final OutsideChanges changes;

        private Instance(Settings settings, Database db, Clock clock) {
            this.settings = settings;
            this.db = db;
            this.users = new SqliteUserStore(db, clock);
            this.sessions = new SqliteSessionStore(db);
            var si = settings.signIn();
            this.regulation = new Regulation(new SqliteLoginFailureStore(db), si.banMaxFailures(), si.banWindow(), si.banDuration(), clock);
            this.audit = new AuditService(new SqliteAuditStore(db), clock);
            this.policy = new PasswordPolicy(settings.passwords().minLength(), settings.passwords().maxLength());
            this.changes = new SqliteOutsideChanges(db);
        }

        /** Refuses a missing database unless {@code mayCreate}: a typo in --data-dir must not start an empty instance. */
        static Instance open(Settings settings, Clock clock, boolean mayCreate) {
            Path file = settings.dataDir().resolve(Database.FILE_NAME);
            if (!mayCreate && !Files.isRegularFile(file)) {
                throw new Failure("there is no Latch database at " + file.toAbsolutePath()
                        + "; point --data-dir or LATCH_DATA_DIR at the server's data directory");
            }
            Database db = new Database(settings.dataDir(), 1);
            try {
                Migrations.apply(db);
                return new Instance(settings, db, clock);
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }

        /** Built only when a command hashes: it costs one Argon2 run up front. One hash at a time is all the CLI needs. */
        PasswordHasher hasher() {
            return new PasswordHasher(settings.passwords().argon2(), 1, 1);
        }

        /** A username, or else a numeric id; the username wins when both match. */
        User find(String who) {
            Optional<User> user = users.findByUsername(who);
            if (user.isEmpty() && who.matches("[0-9]{1,18}")) {
                user = users.findById(Long.parseLong(who));
            }
            return user.orElseThrow(() -> new Failure("there is no user '" + who + "' (give a username or an id; list-users shows them)"));
        }

        @Override
        public void close() {
            db.close();
        }
    }

    /** Wrong command line: exit code 2. */
    private static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    /** The command cannot be done: exit code 1, one line. */
    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }
}
