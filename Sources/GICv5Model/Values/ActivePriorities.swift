import GICVocabulary

/// The active priorities register, ICC_APR_EL1 (guest view) / ICH_APR_EL2 (KVM's saved copy):
/// bit n set means an interrupt of priority n has been acknowledged and not yet priority-dropped;
/// bits [63:32] are RES0 (GICv5Model.docc/GICv5Architecture.md).
///
/// The running priority is the lowest set bit (D_XMBQZ): the highest active priority. Acknowledge
/// sets the bit of the acknowledged priority, `GIC CDEOI` clears the lowest set bit.
public struct ActivePriorities: Hashable, Sendable {
    /// P0..P31.
    public var bits: UInt32

    public init(bits: UInt32 = 0) {
        self.bits = bits
    }

    /// From a 64-bit register value: the RES0 upper half is dropped (KVM's accessor keeps the low
    /// 32 bits, vector K5-09; QEMU `gic_icc_apr_el1_write` does the same).
    public init(register: UInt64) {
        bits = UInt32(truncatingIfNeeded: register)
    }

    /// The register value.
    public var register: UInt64 { UInt64(bits) }

    /// The running priority: the lowest set bit, or `GICv5Priority.idle` (32) when none is set.
    public var runningPriority: UInt8 {
        bits == 0 ? GICv5Priority.idle : UInt8(bits.trailingZeroBitCount)
    }

    /// Marks `priority` active (acknowledge).
    public mutating func activate(_ priority: UInt8) {
        bits |= 1 << UInt32(priority & 0x1F)
    }

    /// Priority drop, `GIC CDEOI`: clears the lowest set bit, the highest active priority; nothing
    /// when none is set (vectors G5-10 to G5-12 in
    /// GICv5Model.docc/GICv5TestVectors.md, QEMU `gic_cdeoi_write`).
    public mutating func dropRunningPriority() {
        bits &= bits &- 1
    }
}
