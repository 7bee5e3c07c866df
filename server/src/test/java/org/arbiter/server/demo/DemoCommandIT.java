package org.arbiter.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code arbiter demo} plays the whole story through the real engine and exits 0. */
class DemoCommandIT {

    @Test
    void demoPlaysTheSessionStoryAndExitsZero(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand());
        cli.setOut(new PrintWriter(out, true));

        int code = cli.execute("--data", dir.toString());

        String text = out.toString();
        assertThat(code).as(text).isZero();
        assertThat(text)
                .contains("2. Decision:")
                .contains("3. Admission:")
                .contains("dsl-line-1")
                .contains("refused: 5063 REQUESTED_SERVICE_NOT_AUTHORIZED")
                .contains("could grant instead")
                .contains("a repeated STR gets 5002")
                .contains("7. Billing record")
                .contains("cause DIAMETER_LOGOUT")
                .contains("devices now hold 0 reservations");
    }
}
