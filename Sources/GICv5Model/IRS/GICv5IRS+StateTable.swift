import GICVocabulary

/// The IRS state as interrupt state table entries: what KVM's `GRP_IST` save hands userspace and
/// restore takes back (Sept-2026 series, GICv5Model.docc/GICv5UnderKVM.md).
extension GICv5IRS {
    /// The L2 ISTE of `id`, HWU 0; nil when the IRS cannot reach it.
    public func stateTableEntry(_ id: GICv5InterruptID) -> InterruptStateTableEntry? {
        interrupt(id).map { InterruptStateTableEntry(state: $0) }
    }

    /// Writes `id`'s state from an ISTE (the wire and trigger mode of an SPI are not in the entry and
    /// stay as they are). Throws `.noSuchSPI` / `.noSuchLPI` for an ID the IRS cannot reach.
    public mutating func restore(_ entry: InterruptStateTableEntry, for id: GICv5InterruptID) throws(GICv5ModelError) {
        guard update(id, { $0 = entry.state }) else {
            if id.type == .lpi { throw .noSuchLPI(id: id.id, idBits: lpiIDBits) }
            throw .noSuchSPI(id: id.id, count: spis.count)
        }
    }
}
