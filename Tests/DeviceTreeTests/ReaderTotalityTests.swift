import DeviceTree
import Testing
import TestSupport

/// The reader is total: over damaged blobs, deterministic from a seed, it returns a tree or a
/// typed error, never traps; and every tree it returns is one the writer can write, whose
/// blob reads back as the same tree (DeviceTree.docc/FlattenedFormat.md, "Reading"). A failure names
/// the seed and input number, which replay exactly.
@Suite("The devicetree reader is total over damaged blobs")
struct ReaderTotalityTests {
    static let seeds: [UInt64] = Array(0..<8)
    static let inputsPerSeed = 5_000

    /// Words that hit the format's edges: tokens, small offsets, alignments, sizes near the blob's.
    static let words: [UInt32] = [
        0, 1, 2, 3, 4, 5, 8, 9, 16, 17, 18, 36, 40, 44, 56, 0x7F, 0xFF, 0x100, 0x1000, 0xFFFF,
        0x7FFF_FFFF, 0x8000_0000, 0xD00D_FEED, 0xFFFF_FFFC, 0xFFFF_FFFF,
    ]

    /// `blob` damaged one to three times: an edge word over an aligned word, a byte flip, a cut,
    /// inserted bytes; usually with totalsize (and sometimes the structure size) patched to
    /// the new length, so the damage reaches the structure parser instead of the first check.
    static func damage(_ blob: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = blob
        for _ in 0..<(1 + Int(random.next() % 3)) {
            guard bytes.count > 4 else { break }
            switch random.next() % 6 {
            case 0, 1, 2:
                let word = words[Int(random.next() % UInt64(words.count))]
                let at = Int(random.next() % UInt64(bytes.count / 4)) * 4
                for byte in 0..<4 where at + byte < bytes.count { bytes[at + byte] = UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * byte)) }
            case 3:
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255)
            case 4:
                bytes.removeLast(1 + Int(random.next() % UInt64(min(32, bytes.count - 1))))
            default:
                let at = Int(random.next() % UInt64(bytes.count))
                bytes.insert(contentsOf: (0..<(4 * (1 + Int(random.next() % 4)))).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
            }
        }
        if random.next() % 4 != 0 && bytes.count >= 40 {
            let delta = UInt32(truncatingIfNeeded: bytes.count - blob.count)
            for field in [1] + (random.next() % 2 == 0 ? [9] : [3]) {   // totalsize, then size_dt_struct or off_dt_strings
                let at = field * 4
                let old = UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
                let new = field == 1 ? UInt32(bytes.count) : old &+ delta
                for byte in 0..<4 { bytes[at + byte] = UInt8(truncatingIfNeeded: new >> UInt32(24 - 8 * byte)) }
            }
        }
        return bytes
    }

    @Test("damaged blobs: a typed refusal, or a tree that writes and reads back unchanged", arguments: seeds)
    func mutations(seed: UInt64) throws {
        let reference = try Samples.tree.flattened()
        var random = SplitMix64(seed: 0xF_D7 &+ seed)
        var refused = 0
        var accepted = 0
        for input in 0..<Self.inputsPerSeed {
            let damaged = Self.damage(reference, &random)
            do {
                let tree = try DeviceTree(flattened: damaged)
                accepted += 1
                do {
                    let again = try tree.flattened(sizeLimit: Int.max)
                    let reread = try DeviceTree(flattened: again)
                    if reread != tree { Issue.record("seed \(seed) input \(input): the tree read back differs") }
                } catch {
                    Issue.record("seed \(seed) input \(input): a tree the reader accepted does not round-trip: \(error)")
                }
            } catch {
                refused += 1
                if error.description.isEmpty { Issue.record("seed \(seed) input \(input): a refusal without a message") }
            }
        }
        // Both paths must be exercised: some damage is refused, some survives to a tree.
        #expect(refused > 0)
        #expect(accepted > 0)
    }

    @Test("every truncation of a blob is a typed refusal")
    func truncations() throws {
        let reference = try Samples.tree.flattened()
        for length in 0..<reference.count {
            #expect(throws: FDTDecodingError.self, "length \(length)") { try DeviceTree(flattened: Array(reference.prefix(length))) }
        }
    }
}
