package org.arbiter.core.qos;

/**
 * Identifies one flow within a session: Media-Component-Number and Flow-Number. A component
 * without Media-Sub-Component has the single flow number 0.
 */
public record FlowKey(int mediaComponent, int flow) implements Comparable<FlowKey> {

    @Override
    public int compareTo(FlowKey o) {
        int c = Integer.compare(mediaComponent, o.mediaComponent);
        return c != 0 ? c : Integer.compare(flow, o.flow);
    }

    @Override
    public String toString() {
        return mediaComponent + "." + flow;
    }
}
