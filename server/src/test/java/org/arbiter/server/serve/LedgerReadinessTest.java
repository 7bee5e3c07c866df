package org.arbiter.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Optional;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.server.admin.AdminView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness of the ledger: it answers a read, and it has not failed closed. */
class LedgerReadinessTest {

    @TempDir
    Path dir;

    /** {@code real}, but with {@code failure} as its failure and {@code pool} failing with {@code poolFault} when given. */
    private static OperatorLedger with(OperatorLedger real, Optional<String> failure, RuntimeException poolFault) {
        return (OperatorLedger) Proxy.newProxyInstance(OperatorLedger.class.getClassLoader(), new Class<?>[] {OperatorLedger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("failure")) {
                        return failure;
                    }
                    if (method.getName().equals("pool") && poolFault != null) {
                        throw poolFault;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aLedgerThatReadsAndHasNotFailedIsReady() {
        try (JdbcLedger ledger = JdbcLedger.open(LedgerConfig.h2File(dir))) {
            assertThat(ledger.failure()).isEmpty();
            assertThat(ArbiterServer.ledgerCheck(ledger)).isEqualTo(new AdminView.Check("ledger", true, ""));
        }
    }

    @Test
    void aLedgerThatFailedClosedIsNotReadyAndSaysWhyThoughItStillReads() {
        try (JdbcLedger ledger = JdbcLedger.open(LedgerConfig.h2File(dir))) {
            String why = "the journal ledger failed closed after a journal write failed: disk full";
            AdminView.Check check = ArbiterServer.ledgerCheck(with(ledger, Optional.of(why), null));
            assertThat(check.ok()).isFalse();
            assertThat(check.detail()).isEqualTo(why);
        }
    }

    @Test
    void aLedgerThatCannotReadIsNotReadyAndNamesTheFault() {
        try (JdbcLedger ledger = JdbcLedger.open(LedgerConfig.h2File(dir))) {
            AdminView.Check check = ArbiterServer.ledgerCheck(with(ledger, Optional.empty(), new IllegalStateException("connection refused")));
            assertThat(check.ok()).isFalse();
            assertThat(check.detail()).isEqualTo("connection refused");
        }
    }
}
