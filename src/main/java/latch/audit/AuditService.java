package latch.audit;

import latch.access.Principal;
import latch.http.ApiError;
import latch.http.ClientInfo;
import latch.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Every security event goes through here: one row per event with time, type, actor, subject, client and
 * outcome. Recording never fails the request that triggered it.
 */
public final class AuditService {
    private static final Logger log = LoggerFactory.getLogger(AuditService.class);
    public static final int MAX_PAGE = 200;

    public enum Outcome { SUCCESS, FAILURE, REFUSED }

    private final AuditStore store;
    private final Clock clock;

    public AuditService(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** An event by {@code actor} (may be null; the system has no id and is named) about {@code subject} (may be null). */
    public void record(AuditType type, Outcome outcome, Principal actor, User subject, ClientInfo client, String detail) {
        if (actor != null && actor.isSystem()) {
            append(type, outcome, null, actor.systemName(), subject, client, detail);
        } else {
            record(type, outcome, actor == null ? null : actor.user(), subject, client, detail);
        }
    }

    public void record(AuditType type, Outcome outcome, User actor, User subject, ClientInfo client, String detail) {
        append(type, outcome, actor == null ? null : actor.id(), actor == null ? null : actor.username(), subject, client, detail);
    }

    private void append(AuditType type, Outcome outcome, Long actorId, String actorName, User subject, ClientInfo client,
                        String detail) {
        append(type, outcome, actorId, actorName, subject == null ? null : subject.id(),
                subject == null ? null : subject.username(), client, detail);
    }

    private void append(AuditType type, Outcome outcome, Long actorId, String actorName, Long subjectId, String subjectName,
                        ClientInfo client, String detail) {
        var event = new AuditEvent(0, null, type.wireName(), outcome.name().toLowerCase(java.util.Locale.ROOT),
                actorId, actorName, subjectId, subjectName,
                client == null ? null : client.ip(), client == null ? null : client.userAgent(), detail);
        try {
            store.append(event, clock.instant().getEpochSecond());
        } catch (RuntimeException e) {
            log.error("could not record audit event {}: {}", type.wireName(), e.toString());
        }
        log.info("audit {} {} actor={} subject={} ip={}", event.type(), event.outcome(), event.actorName(),
                event.subjectName(), event.ip());
    }

    /**
     * A deleted user's personal data leaves the log: the addresses and devices of every event they took part in
     * go, whether they acted or were acted on; the record of what happened (and of the deletion) stays.
     */
    public void forget(User user) {
        store.forgetClientDetails(user.id());
    }

    /** How another person appears in a user's export of their events: present, but not who. */
    public static final String SOMEONE_ELSE = "another user";

    /**
     * Every event a user took part in, for their export, showing what {@link #ownEvents} shows and nothing more
     * about anyone else: in events about them, who acted (address and device only where they acted themselves);
     * in events where they acted on another account, that it was another account, without its name, id or detail.
     */
    public java.util.List<AuditEvent> exportFor(long userId) {
        return store.involving(userId).stream().map(e -> {
            boolean aboutMe = e.subjectId() != null && e.subjectId() == userId;
            boolean byMe = e.actorId() != null && e.actorId() == userId;
            if (aboutMe) {
                return byMe ? e : new AuditEvent(e.id(), e.at(), e.type(), e.outcome(), e.actorId(), e.actorName(),
                        e.subjectId(), e.subjectName(), null, null, e.detail());
            }
            boolean aboutSomeoneElse = e.subjectId() != null || e.subjectName() != null;
            return aboutSomeoneElse ? new AuditEvent(e.id(), e.at(), e.type(), e.outcome(), e.actorId(), e.actorName(),
                    null, SOMEONE_ELSE, e.ip(), e.userAgent(), null) : e;
        }).toList();
    }

    /**
     * Inside the transaction that erases a user: every event they took part in keeps only {@code marker} in their
     * place, and no address or device (see {@link AuditStore#anonymize}).
     */
    public int anonymize(latch.db.Tx tx, long userId, String marker) {
        return store.anonymize(tx, userId, marker);
    }

    /** What an erased account did to itself, known only by its anonymous marker now; no address or device kept. */
    public void recordAnonymous(AuditType type, String marker, String detail) {
        append(type, Outcome.SUCCESS, null, marker, null, marker, null, detail);
    }

    /** Deletes up to {@code batch} events older than the retention period; returns how many (the purge's step). */
    public int purgeExpired(java.time.Duration retention, int batch) {
        return store.purgeOlderThan(clock.instant().minus(retention), batch);
    }

    /**
     * A user's own security events. The address and device shown are theirs only: an event someone else caused
     * (an admin's reset, an attacker's failed sign-in) keeps its record but not the other person's address.
     */
    public AuditPage ownEvents(long userId, Integer limit, String cursor) {
        AuditPage page = search(userId, null, null, null, limit, cursor);
        return new AuditPage(page.events().stream()
                .map(e -> e.actorId() != null && e.actorId() == userId ? e
                        : new AuditEvent(e.id(), e.at(), e.type(), e.outcome(), e.actorId(), e.actorName(), e.subjectId(),
                                e.subjectName(), null, null, e.detail()))
                .toList(), page.nextCursor());
    }

    public AuditPage search(Long subjectId, String type, Instant since, Instant until, Integer limit, String cursor) {
        if (type != null && AuditType.parse(type).isEmpty()) {
            throw ApiError.badRequest("invalid_request", "Unknown event type '" + type + "'.");
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ApiError.badRequest("invalid_request", "limit must be between 1 and " + MAX_PAGE + ".");
        }
        Long before = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("invalid_request", "The cursor is not one this server gave out.");
            }
        }
        var events = store.search(new AuditQuery(subjectId, type, since, until, size + 1, before));
        String next = null;
        if (events.size() > size) {
            events = events.subList(0, size);
            next = Long.toString(events.get(size - 1).id());
        }
        return new AuditPage(events, next);
    }
}
