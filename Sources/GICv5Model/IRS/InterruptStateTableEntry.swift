import GICVocabulary

/// A level-2 interrupt state table entry (ISTE), the 32-bit word in which the IRS keeps one SPI's
/// or LPI's state in memory, and which KVM's `GRP_IST` save/restore carries ("the architected
/// 32-bit ISTE state", GICv5Model.docc/GICv5UnderKVM.md).
///
/// Layout (Linux `GICV5_ISTL2E_*` in the Sept-2026 KVM IST code, QEMU `FIELD(L2_ISTE, …)`, which
/// agree): PENDING 0, ACTIVE 1, HM 2, ENABLE 3, IRM 4, HWU [10:9], PRIORITY [15:11], IAFFID
/// [31:16]. Bits [8:5] are not assigned by either source and are treated as RES0.
public struct InterruptStateTableEntry: Hashable, Sendable {
    public static let pendingBit: UInt32 = 1 << 0
    public static let activeBit: UInt32 = 1 << 1
    public static let handlingModeBit: UInt32 = 1 << 2
    public static let enableBit: UInt32 = 1 << 3
    public static let routingBit: UInt32 = 1 << 4
    public static let hardwareUseMask: UInt32 = 0x3 << 9
    public static let priorityShift: UInt32 = 11
    public static let targetShift: UInt32 = 16
    /// Bits [8:5].
    public static let reservedMask: UInt32 = 0xF << 5

    /// The interrupt state the entry describes.
    public var state: IRSInterrupt
    /// HWU, bits [10:9]: for the IRS's own use; preserved by decode and encode, dropped by
    /// `sanitisedForRestore`.
    public var hardwareUse: UInt8

    public init(state: IRSInterrupt, hardwareUse: UInt8 = 0) {
        self.state = state
        self.hardwareUse = hardwareUse & 0x3
    }

    /// Decodes a word; bits [8:5] set throw `.reservedBitsSet(what: .interruptStateTableEntry, …)`.
    public init(rawValue: UInt32) throws(GICv5ModelError) {
        guard rawValue & Self.reservedMask == 0 else {
            throw .reservedBitsSet(what: .interruptStateTableEntry, value: UInt64(rawValue),
                                   reservedMask: UInt64(Self.reservedMask))
        }
        state = IRSInterrupt(
            enabled: rawValue & Self.enableBit != 0,
            pending: rawValue & Self.pendingBit != 0,
            active: rawValue & Self.activeBit != 0,
            handlingMode: GICv5HandlingMode(hmBit: rawValue & Self.handlingModeBit != 0),
            priority: UInt8(truncatingIfNeeded: rawValue >> Self.priorityShift) & 0x1F,
            target: UInt16(truncatingIfNeeded: rawValue >> Self.targetShift),
            routing: rawValue & Self.routingBit != 0 ? .oneOfN : .targeted)
        hardwareUse = UInt8(truncatingIfNeeded: (rawValue & Self.hardwareUseMask) >> 9)
    }

    /// The 32-bit word.
    public var rawValue: UInt32 {
        var value: UInt32 = 0
        if state.pending { value |= Self.pendingBit }
        if state.active { value |= Self.activeBit }
        if state.handlingMode == .level { value |= Self.handlingModeBit }
        if state.enabled { value |= Self.enableBit }
        if state.routing == .oneOfN { value |= Self.routingBit }
        value |= UInt32(hardwareUse & 0x3) << 9
        value |= UInt32(state.priority & 0x1F) << Self.priorityShift
        value |= UInt32(state.target) << Self.targetShift
        return value
    }

    /// What KVM writes into the host's table when userspace restores this entry
    /// (`vgic_v5_process_iste`, Sept-2026 series): PENDING and HWU cleared ("HWU is for hardware
    /// use and must not survive migration"); the pending state is replayed separately with
    /// `GIC VDPEND` before the VM first runs, which `wasPending` reports.
    public var sanitisedForRestore: (entry: InterruptStateTableEntry, wasPending: Bool) {
        var entry = self
        entry.state.pending = false
        entry.hardwareUse = 0
        return (entry, state.pending)
    }
}
