import GICVocabulary

/// A set of GICv5 PPIs stored the way every per-PPI register image stores it: one bit per PPI, bit
/// `n % 64` of bank `n / 64`.
///
/// The ICC_PPI_* (guest view) and ICH_PPI_* (hypervisor) enable, pending, active, handling-mode and
/// DVI registers are all this shape (gic-model.md §5.3), so one type serves every image and a
/// register value can be read or written without re-deriving the layout.
public struct PPISet: Hashable, Sendable {
    /// PPIs 0–63, PPI n at bit n.
    public var bank0: UInt64
    /// PPIs 64–127, PPI n at bit n − 64.
    public var bank1: UInt64

    /// The set whose register images are `bank0` and `bank1`.
    public init(bank0: UInt64 = 0, bank1: UInt64 = 0) {
        self.bank0 = bank0
        self.bank1 = bank1
    }

    /// The set holding exactly `ppis`.
    public init(_ ppis: [GICv5PPI]) {
        self.init()
        for ppi in ppis { self[ppi] = true }
    }

    /// No PPI.
    public static let empty = PPISet()
    /// All 128 PPIs.
    public static let all = PPISet(bank0: ~0, bank1: ~0)
    /// The 64 PPIs KVM 7.1 keeps state for (`VGIC_V5_NR_PRIVATE_IRQS`): bank 0.
    public static let keptByKVM = PPISet(bank0: ~0, bank1: 0)

    /// Whether `ppi` is in the set.
    public subscript(ppi: GICv5PPI) -> Bool {
        get { register(PPIBank(of: ppi)) & Self.bit(ppi) != 0 }
        set {
            let bank = PPIBank(of: ppi)
            var word = register(bank)
            if newValue { word |= Self.bit(ppi) } else { word &= ~Self.bit(ppi) }
            setRegister(bank, word)
        }
    }

    /// The register image of one bank.
    public func register(_ bank: PPIBank) -> UInt64 {
        bank == .bank0 ? bank0 : bank1
    }

    /// Replaces the register image of one bank.
    public mutating func setRegister(_ bank: PPIBank, _ value: UInt64) {
        if bank == .bank0 { bank0 = value } else { bank1 = value }
    }

    public var isEmpty: Bool { bank0 == 0 && bank1 == 0 }

    /// The members in ascending PPI order.
    public var members: [GICv5PPI] {
        GICv5PPI.everyPPI.filter { self[$0] }
    }

    public func union(_ other: PPISet) -> PPISet {
        PPISet(bank0: bank0 | other.bank0, bank1: bank1 | other.bank1)
    }

    public func intersection(_ other: PPISet) -> PPISet {
        PPISet(bank0: bank0 & other.bank0, bank1: bank1 & other.bank1)
    }

    public func subtracting(_ other: PPISet) -> PPISet {
        PPISet(bank0: bank0 & ~other.bank0, bank1: bank1 & ~other.bank1)
    }

    @inline(__always)
    static func bit(_ ppi: GICv5PPI) -> UInt64 { 1 << UInt64(ppi.id % 64) }
}
