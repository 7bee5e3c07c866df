package org.arbiter.server.adapters;

import java.io.PrintWriter;
import java.util.Map;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import picocli.CommandLine.Command;

/** {@code arbiter adapters list}: the device adapter plugins found on the class path. */
@Command(name = "adapters", description = "Device adapter plugins.", subcommands = AdaptersCommand.ListCommand.class)
public final class AdaptersCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Lists providers: name, SPI version, class, jar. */
    @Command(name = "list", description = "List the adapter plugins found on the class path.")
    static final class ListCommand implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, DeviceAdapterProvider> providers =
                    AdapterRegistry.discover(Thread.currentThread().getContextClassLoader()).providers();
            out.printf("%-10s %-4s %s%n", "NAME", "SPI", "PROVIDER");
            for (var e : providers.entrySet()) {
                var src = e.getValue().getClass().getProtectionDomain().getCodeSource();
                String jar = src == null ? "" : " (" + src.getLocation().getPath().replaceAll(".*/", "") + ")";
                out.printf("%-10s %-4d %s%s%n", e.getKey(), e.getValue().spiVersion(), e.getValue().getClass().getName(), jar);
            }
            if (providers.isEmpty()) {
                out.println("(none found)");
            }
        }
    }
}
