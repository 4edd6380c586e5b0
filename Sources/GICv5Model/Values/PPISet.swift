import GICVocabulary

/// A set of GICv5 PPIs stored the way every per-PPI register image stores it: one bit per PPI, bit
/// `n % 64` of bank `n / 64`. It is the vocabulary's `GICv5PPISet` (the same two words
/// `USERSPACE_PPIS` carries), seen through register-image accessors.
///
/// The ICC_PPI_* (guest view) and ICH_PPI_* (hypervisor) enable, pending, active, handling-mode and DVI
/// registers are all this shape (GICv5Model.docc/GICv5Architecture.md), so one type serves every image and a
/// register value can be read or written without re-deriving the layout.
public typealias PPISet = GICv5PPISet

extension GICv5PPISet {
    /// PPIs 0–63, PPI n at bit n: the bank-0 register image.
    public var bank0: UInt64 {
        get { low }
        set { low = newValue }
    }

    /// PPIs 64–127, PPI n at bit n − 64: the bank-1 register image.
    public var bank1: UInt64 {
        get { high }
        set { high = newValue }
    }

    /// The set whose register images are `bank0` and `bank1`.
    public init(bank0: UInt64 = 0, bank1: UInt64 = 0) {
        self.init(low: bank0, high: bank1)
    }

    /// No PPI.
    public static let empty = GICv5PPISet()
    /// All 128 PPIs.
    public static let all = GICv5PPISet(bank0: ~0, bank1: ~0)
    /// The 64 PPIs KVM 7.1 keeps state for (`VGIC_V5_NR_PRIVATE_IRQS`): bank 0.
    public static let keptByKVM = GICv5PPISet(bank0: ~0, bank1: 0)

    /// Whether `ppi` is in the set.
    public subscript(ppi: GICv5PPI) -> Bool {
        get { contains(ppi) }
        set { if newValue { insert(ppi) } else { remove(ppi) } }
    }

    /// The register image of one bank.
    public func register(_ bank: PPIBank) -> UInt64 {
        bank == .bank0 ? bank0 : bank1
    }

    /// Replaces the register image of one bank.
    public mutating func setRegister(_ bank: PPIBank, _ value: UInt64) {
        if bank == .bank0 { bank0 = value } else { bank1 = value }
    }

    /// The members in ascending PPI order.
    public var members: [GICv5PPI] { Array(self) }

    public func union(_ other: GICv5PPISet) -> GICv5PPISet {
        GICv5PPISet(bank0: bank0 | other.bank0, bank1: bank1 | other.bank1)
    }

    public func subtracting(_ other: GICv5PPISet) -> GICv5PPISet {
        GICv5PPISet(bank0: bank0 & ~other.bank0, bank1: bank1 & ~other.bank1)
    }

    @inline(__always)
    static func bit(_ ppi: GICv5PPI) -> UInt64 { 1 << UInt64(ppi.id % 64) }
}
