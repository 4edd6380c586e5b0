/// Guest RAM as the ITS and the LPI tables reach it: bytes at guest-physical addresses, inside the
/// VM's memory slots or nowhere (GICVocabulary.docc/ITSTables.md).
///
/// The kernel reads and writes tables with `kvm_read_guest_lock` / `vgic_write_guest_lock`: an
/// access that leaves the memory slots fails with EFAULT, and `kvm_is_visible_gfn` asks whether a
/// page is in one. Conforming types answer the same questions: the model's `SparseGuestMemory`, a
/// VMM's view of its own mapping, a simulated kernel's view of the memory it was given.
public protocol GuestPhysicalMemory {
    /// `count` bytes at `address`, or nil when any of them lies outside guest RAM.
    func bytes(at address: UInt64, count: Int) -> [UInt8]?
    /// Writes `bytes` at `address`; false (and nothing written) when any lies outside guest RAM.
    mutating func write(_ bytes: [UInt8], at address: UInt64) -> Bool
}

extension GuestPhysicalMemory {
    /// Whether the byte at `address` is guest RAM (`kvm_is_visible_gfn` of its page: slots are
    /// page-granular).
    public func isGuestRAM(_ address: UInt64) -> Bool { bytes(at: address, count: 1) != nil }

    /// The little-endian doubleword at `address`, or nil outside guest RAM.
    public func doubleword(at address: UInt64) -> UInt64? {
        guard let bytes = bytes(at: address, count: 8) else { return nil }
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << UInt64(8 * index) }
        return value
    }

    /// Writes a little-endian doubleword; false outside guest RAM.
    public mutating func writeDoubleword(_ value: UInt64, at address: UInt64) -> Bool {
        var bytes: [UInt8] = []
        for shift in stride(from: UInt64(0), to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
        return write(bytes, at: address)
    }

    /// The byte at `address`, or nil outside guest RAM.
    public func byte(at address: UInt64) -> UInt8? { bytes(at: address, count: 1)?.first }
}

/// Guest RAM as a value: regions (memory slots) of zeros, with the 4 KiB pages written so far kept
/// apart, so a model of a 2 MiB guest costs what its tables cost.
public struct SparseGuestMemory: GuestPhysicalMemory, Hashable, Sendable {
    /// The memory slots: guest-physical ranges.
    public private(set) var regions: [Range<UInt64>]
    /// The pages written, by page number (address / 4096).
    private var pages: [UInt64: [UInt8]] = [:]

    static let pageSize: UInt64 = 0x1000

    /// Guest RAM made of `regions` (each a memory slot), all zeros.
    public init(regions: [Range<UInt64>]) {
        self.regions = regions
    }

    /// Whether `count` bytes at `address` lie in one region.
    func covers(_ address: UInt64, _ count: Int) -> Bool {
        guard count >= 0 else { return false }
        let (end, overflow) = address.addingReportingOverflow(UInt64(count))
        if overflow { return false }
        return regions.contains { $0.lowerBound <= address && end <= $0.upperBound }
    }

    public func bytes(at address: UInt64, count: Int) -> [UInt8]? {
        guard covers(address, count) else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var cursor = address
        let end = address + UInt64(count)
        while cursor < end {
            let page = cursor / Self.pageSize
            let offset = Int(cursor % Self.pageSize)
            let take = Swift.min(Int(Self.pageSize) - offset, Int(end - cursor))
            if let stored = pages[page] {
                result.append(contentsOf: stored[offset..<(offset + take)])
            } else {
                result.append(contentsOf: repeatElement(UInt8(0), count: take))
            }
            cursor += UInt64(take)
        }
        return result
    }

    public mutating func write(_ bytes: [UInt8], at address: UInt64) -> Bool {
        guard covers(address, bytes.count) else { return false }
        var cursor = address
        var index = 0
        while index < bytes.count {
            let page = cursor / Self.pageSize
            let offset = Int(cursor % Self.pageSize)
            let take = Swift.min(Int(Self.pageSize) - offset, bytes.count - index)
            var stored = pages[page] ?? [UInt8](repeating: 0, count: Int(Self.pageSize))
            stored.replaceSubrange(offset..<(offset + take), with: bytes[index..<(index + take)])
            pages[page] = stored
            cursor += UInt64(take)
            index += take
        }
        return true
    }
}
