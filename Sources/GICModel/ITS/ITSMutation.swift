/// Deliberately wrong ITS models, off by default, for the mutation check: a cross-check that
/// cannot tell one of these from the kernel proves nothing (GICModel.docc/ITSModel.md).
public struct ITSMutation: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// MAPC with V=0 also forgets the collection's translations (KVM keeps them, with no
    /// collection, so they are saved as empty entries and deliver nothing until re-mapped by MAPTI).
    public static let unmapCollectionDropsTranslations = ITSMutation(rawValue: 1 << 0)
    /// MAPTI does not check the EventID against the device's ITT size.
    public static let eventRangeUnchecked = ITSMutation(rawValue: 1 << 1)
    /// An MSI whose translation's collection targets no vCPU is delivered anyway.
    public static let unmappedCollectionDelivers = ITSMutation(rawValue: 1 << 2)
    /// Mapping an LPI does not clear the pending-table bit it consumed.
    public static let pendingSyncKeepsTableBit = ITSMutation(rawValue: 1 << 3)
    /// The collection table is saved in collection-id order rather than KVM's list order.
    public static let collectionTableSorted = ITSMutation(rawValue: 1 << 4)
    /// No translation cache: every MSI takes the full lookup (so an LPI whose collection moved to a
    /// vCPU with LPIs disabled is refused, where KVM's cached translation still delivers it).
    public static let noTranslationCache = ITSMutation(rawValue: 1 << 5)

    /// Every mutation, with the name the mutation scenarios use.
    public static let named: [(name: String, mutation: ITSMutation)] = [
        ("unmap_collection_drops_translations", .unmapCollectionDropsTranslations),
        ("event_range_unchecked", .eventRangeUnchecked),
        ("unmapped_collection_delivers", .unmappedCollectionDelivers),
        ("pending_sync_keeps_table_bit", .pendingSyncKeepsTableBit),
        ("collection_table_sorted", .collectionTableSorted),
        ("no_translation_cache", .noTranslationCache),
    ]
}
