import GICVocabulary

/// Which elements of each saved register hold state, for a given NR_IRQS and APR count: exactly
/// what capture reads, restore writes, and structural validation demands of a snapshot.
///
/// A distributor bank covers INTIDs 32 ..< NR_IRQS: the private INTIDs' bits are RAZ/WI there
/// (`REGISTER_DESC_WITH_BITS_PER_IRQ_SHARED`), and the kernel ignores accesses to words whose
/// first INTID is at or beyond NR_IRQS (`check_region` in vgic-mmio.c). NR_IRQS is a multiple of
/// 32, so every such word lies wholly inside or wholly outside.
public enum SnapshotCoverage {
    /// The element indices of `register` a snapshot holds in `scope`. Total: for any NR_IRQS
    /// and APR count the range lies inside the register (`SnapshotRegister.elementCount`);
    /// whether the NR_IRQS is one the kernel accepts is `structuralProblem()`'s question.
    public static func elements(
        of register: SnapshotRegister, in scope: RestoreStep.Scope, interruptCount: UInt32, activePriorityCount: Int
    ) -> Range<UInt32> {
        let limit = register.elementCount
        // At most 1024 INTIDs exist; beyond that no register has elements.
        let count = Swift.min(interruptCount, 1024)
        let range: Range<UInt32>
        switch register {
        case .distributor(let bank):
            guard bank.isPerInterrupt else { return 0..<1 }
            let elementBits: UInt32 = bank.bitsPerInterrupt == 64 ? 64 : 32
            let first = SPI.intids.lowerBound * bank.bitsPerInterrupt / elementBits
            let end = count * bank.bitsPerInterrupt / elementBits
            range = first..<Swift.max(first, end)
        case .redistributor:
            range = 0..<limit
        case .lineLevels:
            switch scope {
            case .eachVCPU: range = 0..<1
            case .distributor: range = 1..<Swift.max(1, count / LevelInfoSelector.intidsPerAccess)
            }
        case .system:
            range = 0..<1
        case .activePriorities:
            range = 0..<UInt32(Swift.min(Swift.max(0, activePriorityCount), Int(limit)))
        }
        return range.clamped(to: 0..<limit)
    }

    /// Every INTID whose state element `index` of `register` carries, for a diff that names the
    /// interrupts behind a changed word; nil for registers that are not per interrupt and for an
    /// index past the register's elements.
    public static func intids(of register: SnapshotRegister, index: UInt32) -> ClosedRange<UInt32>? {
        guard index < register.elementCount else { return nil }
        switch register {
        case .distributor(let bank), .redistributor(let bank):
            guard bank.isPerInterrupt else { return nil }
            let elementBits: UInt32 = bank.bitsPerInterrupt == 64 ? 64 : 32
            let perElement = elementBits / bank.bitsPerInterrupt
            let first = index * perElement
            return first...(first + perElement - 1)
        case .lineLevels:
            let first = index * LevelInfoSelector.intidsPerAccess
            return first...(first + LevelInfoSelector.intidsPerAccess - 1)
        case .system, .activePriorities:
            return nil
        }
    }
}
