package latch.monitoring;

import java.util.Optional;

/**
 * METRICS_ENABLED, METRICS_TOKEN (or _FILE, at least 32 bytes: what a Prometheus scraper sends as its Bearer token)
 * and LOG_FORMAT.
 */
public record MonitoringSettings(boolean metricsEnabled, Optional<byte[]> metricsToken, LogFormat logFormat) {}
