/**
 * SDP (RFC 8866) as Arbiter reads it: a pure parser that returns a value or a precise error
 * ({@link org.arbiter.core.sdp.SdpError}, line and reason), records for the description, a printer
 * that round-trips, and the extended QoS attribute grammar ({@link org.arbiter.core.sdp.QosAttributes},
 * documented in {@code docs/sdp-qos.md}).
 *
 * <p>The parser reads whole session descriptions and the media-level fragments that Diameter Rx
 * carries in Codec-Data (TS 29.214 §5.3.7), with their {@code uplink/offer} header and the trailing
 * NUL byte that Kamailio's ims_qos appends. Nothing here does I/O, keeps state or throws for bad
 * input; every type is immutable and thread-safe.
 */
package org.arbiter.core.sdp;
