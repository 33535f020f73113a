package latch.alert;

import java.time.Duration;

/**
 * Thresholds: {@code failuresPerAccount} failed sign-ins against one account, or {@code failuresPerClient} from one
 * client, within {@code failureWindow}, raise an alert (ALERT_FAILED_SIGNINS_*).
 */
public record AlertSettings(int failuresPerAccount, int failuresPerClient, Duration failureWindow) {}
