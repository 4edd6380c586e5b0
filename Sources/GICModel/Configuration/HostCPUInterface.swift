import GICVocabulary

/// The CPU-interface parameters KVM copies from the host's ICH_VTR_EL2 into every vCPU, as
/// ICC_CTLR_EL1 reports them.
///
/// `vgic_v3_enable` sets each vCPU's `num_pri_bits` = ICH_VTR_EL2.PRIbits + 1 and `num_id_bits` =
/// ICH_VTR_EL2.IDbits; `get_gic_ctlr` reports those plus the host's SEIS and A3V. They decide
/// which ICC_CTLR_EL1 writes `set_gic_ctlr` accepts and how many APn registers exist
/// (`vgic_v3_max_apr_idx`). The checked device learns them by reading ICC_CTLR_EL1 of a fresh vCPU,
/// because the lab's "host" is QEMU's emulated GICv3, not a known part.
public struct HostCPUInterface: Hashable, Sendable {
    /// Implemented priority bits, 1–8 (ICC_CTLR_EL1.PRIbits + 1).
    public var priorityBits: UInt8
    /// ICC_CTLR_EL1.IDbits: 0 = 16-bit INTIDs, 1 = 24-bit.
    public var idBits: UInt8
    /// ICH_VTR_EL2.SEIS: the CPU interface can generate SEIs.
    public var seis: Bool
    /// ICH_VTR_EL2.A3V: non-zero Aff3 is supported.
    public var a3v: Bool
    /// Preemption bits (ICH_VTR_EL2.PREbits + 1). Not visible through ICC_CTLR_EL1; it only sets
    /// the minimum binary point of the guest-view CPU interface functions.
    public var preemptionBits: UInt8

    public init(priorityBits: UInt8, idBits: UInt8, seis: Bool, a3v: Bool, preemptionBits: UInt8? = nil) {
        self.priorityBits = priorityBits
        self.idBits = idBits
        self.seis = seis
        self.a3v = a3v
        self.preemptionBits = preemptionBits ?? priorityBits
    }

    /// Reads the host's fields out of an ICC_CTLR_EL1 value read from KVM.
    public init(_ control: ICCControl) {
        self.init(
            priorityBits: UInt8(truncatingIfNeeded: control.priorityBits),
            idBits: UInt8(truncatingIfNeeded: control.idBits),
            seis: control.seis,
            a3v: control.a3v)
    }

    /// Reads the host's fields out of a raw ICC_CTLR_EL1 value (through `ICCControl`).
    public init(iccCTLR value: UInt64) { self.init(ICCControl(rawValue: value)) }

    /// The ICC_CTLR_EL1 a fresh vCPU on this host reports (`get_gic_ctlr` with CBPR and EOImode clear).
    public var control: ICCControl {
        var control = ICCControl(rawValue: 0)
        control.priorityBits = UInt32(priorityBits)
        control.idBits = UInt32(idBits)
        control.seis = seis
        control.a3v = a3v
        return control
    }

    /// QEMU's emulated GICv3 CPU interface with `-cpu max`, the lab's host: 5 priority and 5
    /// preemption bits (`gic_vpribits`/`gic_vprebits`), 24-bit IDs, no SEIS, A3V
    /// (`ich_vtr_read` in `hw/intc/arm_gicv3_cpuif.c`). **[unverified: the lab reads the real
    /// value; tests use this only as an example host]**
    public static let qemuMax = HostCPUInterface(priorityBits: 5, idBits: 1, seis: false, a3v: true)
}
