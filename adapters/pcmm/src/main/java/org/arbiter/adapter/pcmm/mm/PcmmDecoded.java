package org.arbiter.adapter.pcmm.mm;

/** What {@link PcmmCodec#decode} makes of a block of PacketCable Multimedia objects: a command or a fault. */
public sealed interface PcmmDecoded permits PcmmCommand, PcmmFault {
}
