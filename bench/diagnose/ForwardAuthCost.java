import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.forwardauth.AccessRules;
import latch.forwardauth.ForwardAuthService;
import latch.forwardauth.ForwardAuthSettings;
import latch.forwardauth.PathNormalizer;
import latch.http.Cidr;
import latch.http.TrustedProxies;
import latch.user.Role;
import latch.user.User;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the forward-auth decision costs on one thread, in CPU time, with Latch's own classes from the jar: the
 * steps GET /api/authz/forward-auth runs after authentication (which it shares with /api/auth/me, see MeCost).
 * Usage: java <flags> -cp target/latch.jar:target/bench-classes ForwardAuthCost [SECONDS_PER_STEP]
 */
public final class ForwardAuthCost {
    private ForwardAuthCost() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        ScopeCatalog catalog = ScopeCatalog.defaults();
        var service = new ForwardAuthService(AccessRules.none(), catalog, "",
                new ForwardAuthSettings(Optional.empty(), false, false, List.of()), Clock.systemUTC());
        var user = new User(1, "admin", null, Role.ADMIN, true, "Admin", "admin@example.com", "admin", Instant.now(), 1);
        var principal = new Principal(user, catalog.of(Role.ADMIN), Principal.Credential.SESSION, "sid", "tid",
                Instant.now().plusSeconds(3600));
        var proxies = new TrustedProxies(List.of(Cidr.parse("127.0.0.1"), Cidr.parse("::1")));
        var target = ForwardAuthService.fromForwarded("GET", "https", "roms.example.com", "/roms/12?x=1", "127.0.0.1");

        var steps = new CpuSteps();
        steps.add("whole: fromForwarded + decide", () -> service.decide(
                ForwardAuthService.fromForwarded("GET", "https", "roms.example.com", "/roms/12?x=1", "127.0.0.1"),
                principal, () -> "127.0.0.1"));
        steps.add("  fromForwarded (method + host, by hand)", () ->
                ForwardAuthService.fromForwarded("GET", "https", "roms.example.com", "/roms/12?x=1", "127.0.0.1"));
        steps.add("  decide (allowed, no rules file; Remote-* per identity)", () -> service.decide(target, principal, () -> "127.0.0.1"));
        steps.add("    PathNormalizer.normalize", () -> PathNormalizer.normalize("/roms/12?x=1"));
        steps.add("    ScopeCatalog.format (admin scopes, once per identity)", () -> ScopeCatalog.format(principal.scopes()));
        steps.add("trusted proxy check (isTrusted x1)", () -> proxies.isTrusted("127.0.0.1"));

        steps.run(seconds);
    }
}
