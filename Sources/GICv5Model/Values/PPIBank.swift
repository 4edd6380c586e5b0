import GICVocabulary

/// Which 64-bit half of the 128 PPIs a per-PPI register covers: the `…0` registers hold PPIs 0–63, the `…1`
/// registers PPIs 64–127 (ICC_PPI_ENABLER0/1_EL1, ICH_PPI_PENDR0/1_EL2, …;
/// GICv5Model.docc/GICv5Architecture.md).
///
/// KVM 7.1 keeps only bank 0 (`VGIC_V5_NR_PRIVATE_IRQS` = 64, GICv5Model.docc/GICv5UnderKVM.md): its bank-1
/// images read 0 and ignore writes.
public enum PPIBank: UInt8, Hashable, Sendable, CaseIterable {
    case bank0 = 0
    case bank1 = 1

    /// The bank holding `ppi`.
    public init(of ppi: GICv5PPI) {
        self = ppi.id < 64 ? .bank0 : .bank1
    }

    /// The first PPI number of the bank: 0 or 64.
    public var firstPPI: UInt32 { UInt32(rawValue) * 64 }
}

extension GICv5PPI {
    /// Builds the PPI for a number this module has already bounded to 0–127 (loop indices, bit
    /// positions), so no caller-supplied value reaches the trap.
    @inline(__always)
    static func checked(_ id: UInt32) -> GICv5PPI {
        do {
            return try GICv5PPI(id: id & 0x7F)
        } catch {
            fatalError("PPI number outside 0–127 after masking")
        }
    }

    /// Every PPI, 0–127, in order.
    static let everyPPI: [GICv5PPI] = (UInt32(0)...127).map { GICv5PPI.checked($0) }
}
