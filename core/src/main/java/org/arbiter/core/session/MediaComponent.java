package org.arbiter.core.session;

import java.util.List;
import java.util.Objects;

/**
 * Media-Component-Description (TS 29.214 §5.3.7): one SDP media line as the AF saw it.
 *
 * <p>Bandwidths are bit/s; -1 means the AVP was absent (Kamailio sends none for
 * {@code m=application}). {@link #codecData()} holds every Codec-Data value verbatim, the
 * {@code uplink\noffer\n} header and trailing NUL included; the SDP extraction reads them.
 *
 * @param number Media-Component-Number (position of the m-line, 1-based, may have gaps)
 * @param mediaType Media-Type, or {@code null} when absent
 * @param subComponents the flows
 * @param maxRequestedBandwidthUl Max-Requested-Bandwidth-UL, or -1
 * @param maxRequestedBandwidthDl Max-Requested-Bandwidth-DL, or -1
 * @param rrBandwidth RR-Bandwidth, or -1
 * @param rsBandwidth RS-Bandwidth, or -1
 * @param flowStatus Flow-Status, or {@code null}
 * @param codecData the Codec-Data values, in wire order
 */
public record MediaComponent(
        int number,
        MediaType mediaType,
        List<MediaSubComponent> subComponents,
        long maxRequestedBandwidthUl,
        long maxRequestedBandwidthDl,
        long rrBandwidth,
        long rsBandwidth,
        FlowStatus flowStatus,
        List<String> codecData) {

    public MediaComponent {
        subComponents = List.copyOf(Objects.requireNonNull(subComponents, "subComponents"));
        codecData = List.copyOf(Objects.requireNonNull(codecData, "codecData"));
    }
}
