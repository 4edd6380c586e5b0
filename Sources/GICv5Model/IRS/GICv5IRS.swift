import GICVocabulary

/// The Interrupt Routing Service as far as the model needs it: the state of every SPI and LPI, the
/// SPI input wires, and the highest priority pending interrupt it offers each PE.
///
/// SPI IDs run from 0 (IRS_IDR7.SPI_BASE = 0, as in a VM) to `spiCount − 1`; LPI IDs from 0 to
/// 2^`lpiIDBits` − 1 (the IST's LPI_ID_BITS). Only LPIs whose state differs from the reset state
/// are stored, so two IRS values with the same interrupt states compare equal.
///
/// Facts: GICv5Model.docc/GICv5Architecture.md (QEMU `arm_gicv5.c` @3fcf6e10, read with the caution at the
/// end of that article: its `gicv5_set_enabled` / `gicv5_set_pending` ignore their argument for SPIs; the
/// model follows the architecture, the `enabled` / `pending` argument).
public struct GICv5IRS: Hashable, Sendable {
    /// IRS_CR0.IRSEN. While clear the IRS offers no interrupt to any PE (QEMU `irs_recalc_hppi`).
    public var enabled: Bool
    /// Implemented priority bits (IRS_IDR1.PRI_BITS + 1), 1–5; the low-order bits of every priority
    /// written are ignored (GICv5Model.docc/GICv5Architecture.md).
    public let priorityBits: Int
    /// The LPI ID width of the IST; 0 means no LPIs (no IST configured): then no LPI, LPI 0
    /// included, is reachable.
    public private(set) var lpiIDBits: UInt8
    /// For a two-level IST, the L1 entries the IRS has made valid (IRS_MAP_L2_ISTR); an LPI whose
    /// L1 entry is not valid is unreachable. Nil for a linear IST.
    public private(set) var validLevel1Entries: Set<UInt32>?
    /// How many low ID bits index a two-level IST's L2 table (`ISTGeometry.level2IndexBits`).
    public private(set) var level2IndexBits: UInt32 = 0
    /// What the architecture leaves open (1-of-N routing, SPI/LPI ties).
    public let implementation: GICv5Implementation
    /// SPI n at index n.
    public private(set) var spis: [SPIState]
    /// LPIs not in the reset state, by ID.
    public private(set) var lpis: [UInt32: IRSInterrupt]

    /// An IRS with `spiCount` SPIs and a `lpiIDBits`-bit LPI space, every interrupt in its reset
    /// state (a zeroed ISTE). IRSEN resets to 0 architecturally; pass `enabled: true` for an IRS a
    /// guest has already switched on.
    public init(spiCount: Int = 0, lpiIDBits: UInt8 = 0, priorityBits: Int = GICv5Priority.architectedBits,
                enabled: Bool = false, implementation: GICv5Implementation = .default) {
        self.implementation = implementation
        self.validLevel1Entries = nil
        self.enabled = enabled
        self.priorityBits = min(max(priorityBits, 1), GICv5Priority.architectedBits)
        self.lpiIDBits = min(lpiIDBits, 24)
        self.spis = Array(repeating: SPIState(), count: max(spiCount, 0))
        self.lpis = [:]
    }

    public var spiCount: Int { spis.count }

    /// Whether the IRS can reach `id`: an SPI below `spiCount` or an LPI inside the IST. PPIs are
    /// not IRS interrupts.
    public func contains(_ id: GICv5InterruptID) -> Bool {
        switch id.type {
        case .ppi: return false
        case .spi: return Int(id.id) < spis.count
        case .lpi:
            guard lpiIDBits > 0, UInt64(id.id) < 1 << UInt64(lpiIDBits) else { return false }
            guard let valid = validLevel1Entries else { return true }
            return valid.contains(id.id >> level2IndexBits)
        }
    }

    /// The IST becomes `geometry` (IRS_IST_BASER.VALID set with IRS_IST_CFGR), or none (VALID
    /// cleared: no LPI is reachable). LPI state is kept, as a table in memory keeps it, and is
    /// reachable again when a table covering it is made valid. A new two-level table starts with
    /// no valid L1 entry.
    public mutating func configureStateTable(_ geometry: ISTGeometry?) {
        lpiIDBits = geometry?.idBits ?? 0
        level2IndexBits = geometry?.level2IndexBits ?? 0
        validLevel1Entries = geometry?.structure == .twoLevel ? [] : nil
    }

    /// IRS_MAP_L2_ISTR: the L1 entry covering LPI `id` becomes valid; ignored for a linear IST or
    /// none (QEMU `irs_map_l2_istr_write`: WI unless a two-level IST is valid).
    public mutating func mapLevel2Table(containing id: UInt32) {
        guard validLevel1Entries != nil, lpiIDBits > 0, UInt64(id) < 1 << UInt64(lpiIDBits) else { return }
        validLevel1Entries?.insert(id >> level2IndexBits)
    }

    /// The state of `id`, or nil when the IRS cannot reach it.
    public func interrupt(_ id: GICv5InterruptID) -> IRSInterrupt? {
        guard contains(id) else { return nil }
        switch id.type {
        case .ppi: return nil
        case .spi: return spis[Int(id.id)].interrupt
        case .lpi: return lpis[id.id] ?? IRSInterrupt()
        }
    }

    /// Applies `change` to `id`'s state; false (and nothing changes) when the IRS cannot reach it.
    @discardableResult
    mutating func update(_ id: GICv5InterruptID, _ change: (inout IRSInterrupt) -> Void) -> Bool {
        guard contains(id) else { return false }
        switch id.type {
        case .ppi:
            return false
        case .spi:
            change(&spis[Int(id.id)].interrupt)
        case .lpi:
            var state = lpis[id.id] ?? IRSInterrupt()
            change(&state)
            lpis[id.id] = state == IRSInterrupt() ? nil : state
        }
        return true
    }

    /// Mutable access to SPI `id`'s wire and state, for the sampling rules.
    mutating func withSPI(_ id: UInt32, _ change: (inout SPIState) -> Void) throws(GICv5ModelError) {
        guard Int(id) < spis.count else { throw .noSuchSPI(id: id, count: spis.count) }
        change(&spis[Int(id)])
    }

    /// The interrupt ID of SPI `id` or LPI `id`, for IDs this type has already bounded.
    static func intid(_ type: GICv5InterruptType, _ id: UInt32) -> GICv5InterruptID {
        do {
            return try GICv5InterruptID(type: type, id: id & GICv5InterruptID.idMask)
        } catch {
            fatalError("24-bit ID rejected")
        }
    }
}
