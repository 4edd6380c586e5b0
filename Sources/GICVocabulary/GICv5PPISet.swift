/// A set of GICv5 PPIs (0–127), held as the two 64-bit words `KVM_DEV_ARM_VGIC_USERSPACE_PPIS`
/// uses: bit n of `low` is PPI n (0–63), bit n of `high` is PPI 64 + n (uapi doc §1.10).
///
/// The kernel hands the mask back as raw words; this type is what the rest of the package
/// reasons with, so "may userspace drive PPI 27?" is `set.contains(.cntv)`, not bit arithmetic
/// at every call site. Iteration is in ascending PPI order. The same two words are the layout
/// of every per-PPI register image (ICC_PPI_* / ICH_PPI_*), which is how the GICv5 model uses
/// this type (as `PPISet`, with register-image accessors).
///
/// It is also the attribute's buffer (KVM makes it an `AttributeValue`): `low` then `high`, two
/// `__u64` words and nothing else, so there is no second "mask words" type to convert through.
public struct GICv5PPISet: Hashable, Sendable, BitwiseCopyable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// PPIs 0–63.
    public var low: UInt64
    /// PPIs 64–127 (always 0 from Linux 7.1, which keeps 64 PPIs per vCPU).
    public var high: UInt64

    /// The empty set.
    public init() {
        low = 0
        high = 0
    }

    /// The set with exactly these bits, as the kernel's two words.
    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    public init(_ ppis: some Sequence<GICv5PPI>) {
        self.init()
        for ppi in ppis { insert(ppi) }
    }

    public init(arrayLiteral ppis: GICv5PPI...) {
        self.init(ppis)
    }

    public func contains(_ ppi: GICv5PPI) -> Bool {
        let (word, bit) = GICv5PPISet.position(ppi)
        return (word == 0 ? low : high) & bit != 0
    }

    public mutating func insert(_ ppi: GICv5PPI) {
        let (word, bit) = GICv5PPISet.position(ppi)
        if word == 0 { low |= bit } else { high |= bit }
    }

    public mutating func remove(_ ppi: GICv5PPI) {
        let (word, bit) = GICv5PPISet.position(ppi)
        if word == 0 { low &= ~bit } else { high &= ~bit }
    }

    public var isEmpty: Bool { low == 0 && high == 0 }

    public var count: Int { low.nonzeroBitCount + high.nonzeroBitCount }

    /// PPIs in both sets.
    public func intersection(_ other: GICv5PPISet) -> GICv5PPISet {
        GICv5PPISet(low: low & other.low, high: high & other.high)
    }

    /// Which word (0 or 1) and which bit of it hold `ppi`.
    private static func position(_ ppi: GICv5PPI) -> (Int, UInt64) {
        (Int(ppi.id / 64), 1 << UInt64(ppi.id % 64))
    }

    public struct Iterator: IteratorProtocol {
        let set: GICv5PPISet
        var cursor: UInt32 = 0

        public mutating func next() -> GICv5PPI? {
            while cursor <= GICv5PPI.ids.upperBound {
                let candidate = cursor
                cursor += 1
                // Every number in 0...127 is a valid PPI, so this cannot fail.
                if let ppi = try? GICv5PPI(id: candidate), set.contains(ppi) { return ppi }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(set: self) }

    /// `{SW_PPI(3), CNTV(27)}`: architected names where the architecture assigns one.
    public var description: String {
        var text = "{"
        for ppi in self {
            if text.count > 1 { text += ", " }
            if let architected = ppi.architected {
                text += architected.name.description + "(\(ppi.id))"
            } else {
                text += "\(ppi.id)"
            }
        }
        return text + "}"
    }
}
