import GICVocabulary

/// The 16 PPI priority register images, ICC_PPI_PRIORITYR0..15_EL1 / ICH_PPI_PRIORITYR0..15_EL2:
/// eight PPIs per 64-bit register, PPI `8n + k` at bits [8k+4 : 8k] of register n, bits
/// [8k+7 : 8k+5] RES0 (GICv5Model.docc/GICv5Architecture.md).
///
/// Values stored here are always sanitised (RES0 bits clear), so reading a register back gives
/// what the architecture and KVM's userspace accessor give (`REPEAT_BYTE(0x1f)`, vector G5-16 in
/// GICv5Model.docc/GICv5TestVectors.md).
public struct PPIPriorityRegisters: Hashable, Sendable {
    /// The number of registers: 128 PPIs / 8.
    public static let count = 16
    /// The bits of a register that hold priorities: bits [4:0] of every byte.
    public static let fieldMask: UInt64 = 0x1F1F_1F1F_1F1F_1F1F

    /// The images, register n at index n.
    public private(set) var registers: [UInt64]

    /// All priorities 0, the reset value of the images KVM keeps.
    public init() {
        registers = Array(repeating: 0, count: Self.count)
    }

    /// The image of register `index` (0–15); any other index reads 0.
    public func register(_ index: Int) -> UInt64 {
        registers.indices.contains(index) ? registers[index] : 0
    }

    /// Writes register `index` (0–15), keeping only the priority fields and, of each, the
    /// `implementedBits` high-order bits. Any other index is ignored.
    public mutating func setRegister(_ index: Int, _ value: UInt64,
                                     implementedBits: Int = GICv5Priority.architectedBits) {
        guard registers.indices.contains(index) else { return }
        let byteMask = UInt64(GICv5Priority.mask(implementedBits: implementedBits))
        registers[index] = value & Self.fieldMask & (byteMask &* 0x0101_0101_0101_0101)
    }

    /// The priority of `ppi`.
    public subscript(ppi: GICv5PPI) -> UInt8 {
        get {
            let (index, shift) = Self.location(of: ppi)
            return UInt8(truncatingIfNeeded: registers[index] >> shift) & 0x1F
        }
        set {
            let (index, shift) = Self.location(of: ppi)
            registers[index] = registers[index] & ~(0x1F << shift) | (UInt64(newValue & 0x1F) << shift)
        }
    }

    /// Register index and bit offset of `ppi`'s field.
    public static func location(of ppi: GICv5PPI) -> (register: Int, shift: UInt64) {
        (Int(ppi.id / 8), UInt64(ppi.id % 8) * 8)
    }
}
