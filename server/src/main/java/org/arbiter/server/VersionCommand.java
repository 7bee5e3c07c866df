package org.arbiter.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code arbiter version}: prints the version, the Java runtime and the adapter SPI version. */
@Command(name = "version", description = "Print the version of Arbiter and its runtime.")
final class VersionCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
    }

    /** Shared by {@code --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "arbiter " + version(),
                "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "device adapter SPI " + org.arbiter.core.adapter.DeviceAdapterProvider.SPI_VERSION,
            };
        }
    }
}
