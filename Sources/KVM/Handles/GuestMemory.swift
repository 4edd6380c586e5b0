/// Anonymous host memory to back guest RAM (see `VirtualMachine.mapMemory`).
///
/// Owns the mapping and unmaps it once. The VM must not run after it is gone.
public struct GuestMemory: ~Copyable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this
    /// owner: the members' own deinits close the fd and unmap memory.
    deinit {}

    let region: MappedRegion

    /// Size in bytes.
    public var count: Int { region.length }

    /// Copies `bytes` to `offset`. Returns false (and copies nothing) if they do not fit.
    public func write(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset <= region.length, bytes.count <= region.length - offset else { return false }
        for (i, byte) in bytes.enumerated() {
            region.base.storeBytes(of: byte, toByteOffset: offset + i, as: UInt8.self)
        }
        return true
    }

    /// Copies 32-bit little-endian words (instructions) to `offset`.
    public func write(words: [UInt32], at offset: Int) -> Bool {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.count * 4)
        for word in words {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return write(bytes, at: offset)
    }

    /// Reads one byte, or nil outside the mapping.
    public func byte(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < region.length else { return nil }
        return region.base.load(fromByteOffset: offset, as: UInt8.self)
    }

    /// Lends the whole mapping to `body` as raw bytes: for a VMM's loader and its devices'
    /// DMA, and for copying RAM in a migration, where byte-by-byte `write` would be far too
    /// slow. `body` must not keep the pointer: the mapping goes with this owner.
    public func withUnsafeMutableBytes<Result, Failure: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeMutableRawBufferPointer(start: region.base, count: region.length))
    }

    /// Copies `count` bytes from `offset`, or nil if they do not all lie in the mapping (what the
    /// kernel wrote there: ITS tables, pending tables).
    public func bytes(at offset: Int, count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset <= region.length, count <= region.length - offset else { return nil }
        return Array(UnsafeRawBufferPointer(start: region.base + offset, count: count))
    }
}
