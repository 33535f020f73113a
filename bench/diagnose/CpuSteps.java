import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times named steps on one thread in CPU time, so a busy machine skews the figures less than wall time would.
 * Each step runs for half the time once to let the JIT compile it, then for the full time, measured.
 */
final class CpuSteps {
    interface Step {
        Object run() throws Exception;
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static volatile Object sink;

    private final Map<String, Step> steps = new LinkedHashMap<>();

    CpuSteps add(String name, Step step) {
        steps.put(name, step);
        return this;
    }

    void run(double seconds) throws Exception {
        for (int pass = 0; pass < 2; pass++) {
            for (var e : steps.entrySet()) {
                long ops = 0;
                long t0 = CPU.getCurrentThreadCpuTime();
                long deadline = System.nanoTime() + (long) (seconds * 1e9 / (pass == 0 ? 2 : 1));
                while (System.nanoTime() < deadline) {
                    for (int i = 0; i < 100; i++) {
                        sink = e.getValue().run();
                    }
                    ops += 100;
                }
                long cpuNs = CPU.getCurrentThreadCpuTime() - t0;
                if (pass == 1) {
                    System.out.printf("%-56s %8.2f us CPU/op%n", e.getKey(), cpuNs / 1e3 / ops);
                }
            }
        }
    }
}
