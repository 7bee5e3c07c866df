package org.arbiter.core.adapter;

/**
 * SPI: a device protocol plugin, discovered through {@link java.util.ServiceLoader} (register the
 * class in {@code META-INF/services/org.arbiter.core.adapter.DeviceAdapterProvider}).
 *
 * <p>The server refuses to start on two providers with one name, on a device naming an unknown
 * provider, and on a provider whose {@link #spiVersion()} differs from {@link #SPI_VERSION}.
 *
 * <p><b>Threading.</b> {@link #create} is called once per configured device, at startup, from
 * one thread.
 */
public interface DeviceAdapterProvider {

    /** The SPI version this build of the server implements. */
    int SPI_VERSION = 1;

    /** The name devices use in the configuration ({@code lab}, {@code snmp}, {@code netconf}...). */
    String name();

    /** The SPI version the provider was built against. */
    int spiVersion();

    /**
     * Validates the device's configuration section and creates its adapter. Does not need the
     * device to be reachable.
     *
     * @throws AdapterConfigException naming the key path, the value and what is allowed
     */
    DeviceAdapter create(AdapterConfig config);
}
