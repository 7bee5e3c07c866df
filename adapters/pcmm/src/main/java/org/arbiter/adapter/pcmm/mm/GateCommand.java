package org.arbiter.adapter.pcmm.mm;

/**
 * The Gate Command Type of the PacketCable Multimedia TransactionID object (PKT-SP-MM, Gate Control
 * messages). The codes continue the numbering of PacketCable Dynamic QoS, so 1-3, 13 and 14 are
 * not used by Multimedia.
 */
public enum GateCommand {
    GATE_SET(4, "Gate-Set"),
    GATE_SET_ACK(5, "Gate-Set-Ack"),
    GATE_SET_ERR(6, "Gate-Set-Err"),
    GATE_INFO(7, "Gate-Info"),
    GATE_INFO_ACK(8, "Gate-Info-Ack"),
    GATE_INFO_ERR(9, "Gate-Info-Err"),
    GATE_DELETE(10, "Gate-Delete"),
    GATE_DELETE_ACK(11, "Gate-Delete-Ack"),
    GATE_DELETE_ERR(12, "Gate-Delete-Err"),
    GATE_REPORT_STATE(15, "Gate-Report-State"),
    GATE_CMD_ERR(16, "Gate-Cmd-Err"),
    PDP_CONFIG(17, "PDP-Config"),
    PDP_CONFIG_ACK(18, "PDP-Config-Ack"),
    PDP_CONFIG_ERR(19, "PDP-Config-Err"),
    SYNCH_REQUEST(20, "Synch-Request"),
    SYNCH_REPORT(21, "Synch-Report"),
    SYNCH_COMPLETE(22, "Synch-Complete"),
    MSG_RECEIPT(23, "Msg-Receipt");

    private final int code;
    private final String specName;

    GateCommand(int code, String specName) {
        this.code = code;
        this.specName = specName;
    }

    /** The Gate Command Type on the wire. */
    public int code() {
        return code;
    }

    /** The name the specification uses ("Gate-Set-Ack"). */
    public String specName() {
        return specName;
    }

    /** The command for {@code code}, or {@code null} when PacketCable Multimedia defines none. */
    public static GateCommand of(int code) {
        for (GateCommand c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }

    /** True for the commands the Policy Server sends (a DEC) rather than the CMTS (an RPT). */
    public boolean fromPolicyServer() {
        return this == GATE_SET || this == GATE_INFO || this == GATE_DELETE || this == PDP_CONFIG || this == SYNCH_REQUEST
                || this == MSG_RECEIPT;
    }
}
