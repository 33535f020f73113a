package latch.jobs;

import latch.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Every periodic task and deferred write runs here, in the background: jobs on two threads, so a long purge never
 * holds up the change feed's next read (one job never runs twice at once), deferred writes in order on a third. A
 * task that fails is logged in one line and runs again at its next turn (a thrown exception would otherwise cancel
 * a scheduled task for good); each has a name, its last run and its last failure, so tests can run a job now
 * instead of waiting for it.
 */
public final class Jobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);

    /** What a job did last: when it last finished, how many runs failed, and the last failure's one line. */
    public record Status(String name, Duration every, Instant lastRun, long runs, long failures, String lastFailure) {}

    private final class Job {
        final String name;
        final Duration every;
        final Runnable task;
        volatile Instant lastRun;
        volatile long runs;
        volatile long failures;
        volatile String lastFailure;

        Job(String name, Duration every, Runnable task) {
            this.name = name;
            this.every = every;
            this.task = task;
        }

        synchronized void run() {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failures++;
                lastFailure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                log.warn("job {} failed and runs again in {} s: {}", name, every.toSeconds(), lastFailure);
            } finally {
                runs++;
                lastRun = clock.instant();
            }
        }

        Status status() {
            return new Status(name, every, lastRun, runs, failures, lastFailure);
        }
    }

    private final Clock clock;
    private final boolean scheduling;
    private final ScheduledExecutorService thread;
    private final ScheduledExecutorService writer;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final java.util.List<AutoCloseable> closeWith = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code scheduling}: false for a short-lived process (the command line), whose jobs run only when asked. */
    public Jobs(Clock clock, boolean scheduling) {
        this.clock = clock;
        this.scheduling = scheduling;
        this.thread = background(2);
        this.writer = background(1);
    }

    private static ScheduledExecutorService background(int threads) {
        var executor = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, Database.BACKGROUND_THREAD);
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** Runs {@code task} every {@code every}, the first time after {@code firstAfter}. */
    public void every(String name, Duration every, Duration firstAfter, Runnable task) {
        var job = new Job(name, every, task);
        if (jobs.putIfAbsent(name, job) != null) {
            throw new IllegalArgumentException("two jobs called " + name);
        }
        if (scheduling) {
            thread.scheduleWithFixedDelay(job::run, firstAfter.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs a job now, on the calling thread (never at the same time as its scheduled run). */
    public void runNow(String name) {
        Job job = jobs.get(name);
        if (job == null) {
            throw new IllegalArgumentException("no job called " + name);
        }
        job.run();
    }

    /**
     * Runs a scheduled job soon, besides its schedule, on the background thread: for a signal that its work is
     * waiting (another node's change). Ignored when not scheduling or shutting down, so a test that runs jobs by
     * hand stays in charge of when they run.
     */
    public void wakeUp(String name) {
        Job job = jobs.get(name);
        if (job == null || !scheduling) {
            return;
        }
        try {
            thread.execute(job::run);
        } catch (RejectedExecutionException shuttingDown) {
            // nothing to wake at shutdown
        }
    }

    /** Stops {@code resource} (a listener feeding {@link #wakeUp}) when the jobs stop. */
    public void closeWith(AutoCloseable resource) {
        closeWith.add(resource);
    }

    public List<Status> status() {
        return jobs.values().stream().map(Job::status).sorted(java.util.Comparator.comparing(Status::name))
                .collect(Collectors.toList());
    }

    /**
     * Work a request hands off so its answer need not wait (writing "last seen"): run soon on the background thread,
     * dropped quietly while shutting down, and a failure logged like a job's.
     */
    public Executor deferred() {
        return task -> {
            try {
                writer.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("a deferred write failed: {}", e.toString());
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                // a missed "last seen" is harmless
            }
        };
    }

    /** Waits until every deferred write handed off before this call has run (they run in order on one thread). */
    public void awaitDeferred() {
        try {
            writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the background thread did not catch up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a one-off task on the background thread once, after {@code delay}. */
    public void once(String name, Duration delay, Runnable task) {
        var job = new Job(name, Duration.ZERO, task);
        try {
            thread.schedule(job::run, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // nothing to do at shutdown
        }
    }

    @Override
    public void close() {
        for (AutoCloseable resource : closeWith) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", resource, e.toString());
            }
        }
        thread.shutdown();
        writer.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
