package latch.session;

import java.time.Duration;

/**
 * Brute-force limits: {@code maxAttemptsPerClient} failed sign-ins per {@code window} per client, and a ban of the
 * account for {@code banDuration} after {@code banMaxFailures} wrong passwords within {@code banWindow}.
 * {@code passwordLogin} false (DISABLE_USERPASS_LOGIN) refuses every way of signing in with a password.
 */
public record SignInSettings(int maxAttemptsPerClient, Duration window, int banMaxFailures, Duration banWindow,
                             Duration banDuration, boolean passwordLogin) {}
