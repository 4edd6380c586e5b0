import GICVocabulary

/// The saved elements of one register, contiguous from `firstIndex`.
///
/// Distributor banks start past the private INTIDs, whose bits are RAZ/WI there
/// (`REGISTER_DESC_WITH_BITS_PER_IRQ_SHARED`), and end at NR_IRQS, past which the kernel ignores
/// accesses (`check_region` in vgic-mmio.c): GICD_ISENABLER of a 256-INTID vgic is words 1..<8.
/// Which range each register covers is `SnapshotCoverage`.
///
/// A bank always lies inside its register (`SnapshotRegister.elementCount`, at most 1024
/// elements) and names a register the format can name: the initialiser refuses anything else.
/// This is the one place a bank's range is checked; everything that walks a bank relies on it.
public struct RegisterBank: Hashable, Sendable {
    public let register: SnapshotRegister
    /// The element index of `values[0]`.
    public let firstIndex: UInt32
    /// One value per element; 32-bit registers use the low half. Change an element with
    /// `set(element:to:)`: the count is fixed at creation.
    public private(set) var values: [UInt64]

    /// - Throws: `.unnameableRegister` or `.elementsBeyondRegister`.
    public init(_ register: SnapshotRegister, firstIndex: UInt32, values: [UInt64]) throws(SnapshotValueError) {
        guard register.isNameable else { throw .unnameableRegister(register) }
        let limit = register.elementCount
        guard firstIndex <= limit, values.count <= Int(limit - firstIndex) else {
            throw .elementsBeyondRegister(register, firstIndex: firstIndex, count: values.count, elementCount: limit)
        }
        self.register = register
        self.firstIndex = firstIndex
        self.values = values
    }

    /// The element indices the bank holds.
    public var indices: Range<UInt32> { firstIndex..<(firstIndex + UInt32(values.count)) }

    /// The value of element `index`, or nil if the bank does not hold it.
    public subscript(element index: UInt32) -> UInt64? {
        guard indices.contains(index) else { return nil }
        return values[Int(index - firstIndex)]
    }

    /// Replaces the value of element `index`.
    ///
    /// - Throws: `.elementNotHeld` if the bank does not hold it.
    public mutating func set(element index: UInt32, to value: UInt64) throws(SnapshotValueError) {
        guard indices.contains(index) else { throw .elementNotHeld(register, index: index, held: indices) }
        values[Int(index - firstIndex)] = value
    }
}

/// Where a bank or entry belongs: the distributor, or the vCPU at a position of the identity.
public enum SnapshotScope: Hashable, Sendable, CustomStringConvertible {
    case distributor
    case vcpu(Int)

    public var description: String {
        switch self {
        case .distributor: "distributor"
        case .vcpu(let position): "vCPU #\(position)"
        }
    }
}

/// One saved value, flattened: what a reference model is loaded from and what a diff compares.
public struct SnapshotEntry: Hashable, Sendable {
    public var scope: SnapshotScope
    public var register: SnapshotRegister
    public var index: UInt32
    public var value: UInt64

    public init(scope: SnapshotScope, register: SnapshotRegister, index: UInt32, value: UInt64) {
        self.scope = scope
        self.register = register
        self.index = index
        self.value = value
    }
}
