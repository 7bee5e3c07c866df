package org.arbiter.core.session;

import java.util.List;
import java.util.Objects;

/**
 * Media-Sub-Component (TS 29.214 §5.3.21): one IP flow of a media component.
 *
 * @param flowNumber Flow-Number
 * @param flowDescriptions the Flow-Description IPFilterRules, verbatim ({@code permit out 17 from
 *     a p to b q}); "out" is towards the UE, "in" from it
 * @param flowStatus Flow-Status, or {@code null} when absent
 * @param flowUsage Flow-Usage (0 NO_INFORMATION, 1 RTCP, 2 AF_SIGNALLING), or -1 when absent
 * @param maxRequestedBandwidthUl bit/s, or -1 when absent
 * @param maxRequestedBandwidthDl bit/s, or -1 when absent
 */
public record MediaSubComponent(
        int flowNumber,
        List<String> flowDescriptions,
        FlowStatus flowStatus,
        int flowUsage,
        long maxRequestedBandwidthUl,
        long maxRequestedBandwidthDl) {

    public MediaSubComponent {
        flowDescriptions = List.copyOf(Objects.requireNonNull(flowDescriptions, "flowDescriptions"));
    }
}
