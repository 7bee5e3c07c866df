package org.arbiter.server.adapters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import org.arbiter.server.config.ArbiterConfig;
import org.arbiter.server.config.ConfigException;

/**
 * The device adapter plugins found on the class path, through {@link ServiceLoader}.
 *
 * <p>Discovery fails, listing what it found, on two providers with one name and on a provider
 * built for another SPI version. Creating devices fails on a device naming an unknown provider
 * and on any configuration mistake the adapter reports; devices created before the failure are
 * closed.
 */
public final class AdapterRegistry {

    private final Map<String, DeviceAdapterProvider> providers;

    private AdapterRegistry(Map<String, DeviceAdapterProvider> providers) {
        this.providers = providers;
    }

    /** Discovers the providers visible to the given class loader. */
    public static AdapterRegistry discover(ClassLoader loader) {
        List<DeviceAdapterProvider> found = new ArrayList<>();
        ServiceLoader.load(DeviceAdapterProvider.class, loader).forEach(found::add);
        return of(found);
    }

    /** Builds a registry from providers, with the same checks as discovery. */
    public static AdapterRegistry of(List<DeviceAdapterProvider> found) {
        Map<String, DeviceAdapterProvider> byName = new TreeMap<>();
        for (DeviceAdapterProvider p : found) {
            DeviceAdapterProvider prev = byName.putIfAbsent(p.name(), p);
            if (prev != null) {
                throw new IllegalStateException("two adapter providers are named '" + p.name() + "': "
                        + prev.getClass().getName() + " and " + p.getClass().getName() + "; found " + describe(found));
            }
            if (p.spiVersion() != DeviceAdapterProvider.SPI_VERSION) {
                throw new IllegalStateException("adapter provider '" + p.name() + "' (" + p.getClass().getName()
                        + ") implements SPI version " + p.spiVersion() + " but this server implements version "
                        + DeviceAdapterProvider.SPI_VERSION + "; found " + describe(found));
            }
        }
        return new AdapterRegistry(byName);
    }

    private static String describe(List<DeviceAdapterProvider> found) {
        return found.stream().map(p -> p.name() + " (SPI " + p.spiVersion() + ", " + p.getClass().getName() + ")").toList().toString();
    }

    /** Provider names and classes, sorted by name. */
    public Map<String, DeviceAdapterProvider> providers() {
        return providers;
    }

    /**
     * Creates one adapter per configured device. On any failure, closes what was created and
     * throws {@link ConfigException} naming the device's key path.
     */
    public Map<String, DeviceAdapter> create(List<ArbiterConfig.Device> devices) {
        Map<String, DeviceAdapter> out = new LinkedHashMap<>();
        try {
            for (int i = 0; i < devices.size(); i++) {
                ArbiterConfig.Device d = devices.get(i);
                DeviceAdapterProvider p = providers.get(d.adapter());
                if (p == null) {
                    throw new ConfigException(null, "devices[" + i + "].adapter", "invalid value '" + d.adapter()
                            + "'; expected one of the adapters found on the class path " + providers.keySet());
                }
                try {
                    out.put(d.id(), p.create(new AdapterConfig(d.id(), d.path(), d.settings())));
                } catch (AdapterConfigException e) {
                    throw new ConfigException(null, e.keyPath(), e.getMessage().substring(e.getMessage().indexOf(':') + 2));
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.values().forEach(DeviceAdapter::close);
            throw e;
        }
    }
}
