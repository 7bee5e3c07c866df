package org.arbiter.adapter.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.arbiter.adapter.tck.ReferenceDevice.Bug;
import org.arbiter.adapter.tck.ReferenceDevice.Mode;
import org.arbiter.core.adapter.DeviceAdapter;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the contract through the JUnit Platform against a correct adapter and against adapters
 * with one deliberate bug each, and checks which contract tests pass and fail: the kit must be
 * able to fail, and fail for the right reason.
 */
class DeviceAdapterContractTest {

    @Test
    void correctAdapterPassesEveryContractTest() {
        Map<String, TestExecutionResult.Status> results = run(CorrectAdapterContract.class);

        assertThat(results).hasSize(contractTestCount())
                .allSatisfy((test, status) -> assertThat(status).as(test).isEqualTo(TestExecutionResult.Status.SUCCESSFUL));
    }

    @Test
    void duplicatingAdapterFailsTheNoOpAndBatchTests() {
        assertThat(failed(run(DuplicatingAdapterContract.class)))
                .containsExactly("batchInstallGivesOneOutcomePerReservationInOrder", "installingTwiceIsANoOp");
    }

    @Test
    void throwingAdapterFailsTheUnreachableTest() {
        assertThat(failed(run(ThrowingAdapterContract.class)))
                .containsExactly("unreachableDeviceGivesTypedOutcomeNotException");
    }

    @Test
    void adapterIgnoringTimeoutsFailsTheTimeoutTests() {
        assertThat(failed(run(TimeoutIgnoringAdapterContract.class)))
                .containsExactly("listAndHealthOfASlowDeviceReturnWithinTheTimeout", "timeoutIsHonoured");
    }

    @Test
    void threadLeakingAdapterFailsTheCloseTest() {
        assertThat(failed(run(ThreadLeakingAdapterContract.class))).containsExactly("closeFreesThreads");
    }

    @Test
    void reorderingAdapterFailsTheBatchTests() {
        assertThat(failed(run(ReorderingAdapterContract.class)))
                .containsExactly("batchInstallGivesOneOutcomePerReservationInOrder", "batchRemoveGivesOneOutcomePerIdInOrder");
    }

    private static int contractTestCount() {
        return (int) Arrays.stream(DeviceAdapterContract.class.getDeclaredMethods())
                .filter((Method m) -> m.isAnnotationPresent(Test.class)).count();
    }

    private static List<String> failed(Map<String, TestExecutionResult.Status> results) {
        assertThat(results).as("every contract test ran").hasSize(contractTestCount());
        return results.entrySet().stream().filter(e -> e.getValue() == TestExecutionResult.Status.FAILED)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Runs one contract class on the JUnit Platform; test method name to result. */
    private static Map<String, TestExecutionResult.Status> run(Class<?> contract) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(contract)).build();
        Map<String, TestExecutionResult.Status> results = new ConcurrentHashMap<>();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest() && id.getSource().orElse(null) instanceof MethodSource m) {
                    results.put(m.getMethodName(), result.getStatus());
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.isTest()) {
                    results.put(id.getDisplayName(), TestExecutionResult.Status.ABORTED);
                }
            }
        });
        return new TreeMap<>(results);
    }

    /** The contract with every hook on one adapter configuration. */
    abstract static class ReferenceContract extends DeviceAdapterContract {
        private final Bug[] bugs;

        ReferenceContract(Bug... bugs) {
            this.bugs = bugs;
        }

        @Override
        protected DeviceAdapter createReachable() {
            return new ReferenceDevice(Mode.REACHABLE, Duration.ZERO, bugs);
        }

        @Override
        protected DeviceAdapter createUnreachable() {
            return new ReferenceDevice(Mode.UNREACHABLE, Duration.ZERO, bugs);
        }

        @Override
        protected DeviceAdapter createSlow(Duration answerDelay) {
            return new ReferenceDevice(Mode.SLOW, answerDelay, bugs);
        }

        @Override
        protected Duration shortTimeout() {
            return Duration.ofMillis(200);
        }

        @Override
        protected Duration schedulingMargin() {
            return Duration.ofMillis(300);
        }

        @Override
        protected Duration threadExitWait() {
            return Duration.ofSeconds(1);
        }

        @Override
        protected Optional<DeviceProbe> probe(DeviceAdapter reachable) {
            return Optional.of(((ReferenceDevice) reachable)::rows);
        }
    }

    static final class CorrectAdapterContract extends ReferenceContract {
        CorrectAdapterContract() {
            super();
        }
    }

    static final class DuplicatingAdapterContract extends ReferenceContract {
        DuplicatingAdapterContract() {
            super(Bug.DUPLICATES_IDENTICAL);
        }
    }

    static final class ThrowingAdapterContract extends ReferenceContract {
        ThrowingAdapterContract() {
            super(Bug.THROWS_WHEN_UNREACHABLE);
        }
    }

    static final class TimeoutIgnoringAdapterContract extends ReferenceContract {
        TimeoutIgnoringAdapterContract() {
            super(Bug.IGNORES_TIMEOUT);
        }
    }

    static final class ThreadLeakingAdapterContract extends ReferenceContract {
        ThreadLeakingAdapterContract() {
            super(Bug.LEAKS_THREAD);
        }
    }

    static final class ReorderingAdapterContract extends ReferenceContract {
        ReorderingAdapterContract() {
            super(Bug.REORDERS_BATCH);
        }
    }
}
