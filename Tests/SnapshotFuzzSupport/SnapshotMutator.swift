import GICSnapshot
import SnapshotTools
import TestSupport

extension SplitMix64 {
    /// A value in 0 ..< bound (0 for bounds below 2).
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}

/// Structure-aware damage for snapshot files, deterministic from a seed.
///
/// Binary inputs get "interesting" 32-bit words (0, 1, powers of two near the format's limits,
/// 0x0800_0000, UInt32.max …) written over aligned fields, byte flips, cuts and growth, and
/// usually a recomputed checksum so the damage reaches the section decoders and the consumers
/// behind them. JSON inputs get one document field set to a boundary value: negative, just past
/// a field's width, huge, or an odd string.
public struct SnapshotMutator {
    /// The seeded source: the test suites' shared SplitMix64.
    public typealias Source = SplitMix64

    static let words: [UInt32] = [
        0, 1, 2, 3, 4, 5, 7, 8, 16, 31, 32, 33, 63, 64, 255, 256, 1023, 1024, 1025, 4095, 65535, 65536,
        0x0800_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFE, 0xFFFF_FFFF,
    ]

    static let integers: [Int] = [
        -1, -5, 0, 1, 2, 7, 8, 255, 256, 261, 992, 1024, 4095, 4096, 65535, 65536, 65537,
        0x0800_0000, 0xFFFF_FFFF, 0x1_0000_0000, Int.max, Int.min,
    ]

    public init() {}

    /// `bytes` (a binary snapshot) damaged once or a few times.
    public func binary(_ bytes: [UInt8], _ source: inout Source) -> [UInt8] {
        var damaged = bytes
        for _ in 0..<(1 + source.below(3)) {
            guard damaged.count > 8 else { break }
            switch source.below(8) {
            case 0...3:
                let word = Self.words[source.below(Self.words.count)]
                let at = 8 + source.below((damaged.count - 8) / 4) * 4
                for byte in 0..<4 where at + byte < damaged.count {
                    damaged[at + byte] = UInt8(truncatingIfNeeded: word >> UInt32(8 * byte))
                }
            case 4, 5:
                damaged[source.below(damaged.count)] ^= UInt8(truncatingIfNeeded: 1 + source.below(255))
            case 6:
                damaged.removeLast(1 + source.below(Swift.min(64, damaged.count - 8)))
            default:
                let at = 8 + source.below(damaged.count - 8)
                damaged.insert(contentsOf: (0..<(1 + source.below(16))).map { _ in UInt8(truncatingIfNeeded: source.next()) }, at: at)
            }
        }
        if source.below(8) != 0 && damaged.count >= 4 {
            let crc = SnapshotFormat.checksum(sealing: damaged)
            for byte in 0..<4 { damaged[damaged.count - 4 + byte] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * byte)) }
        }
        return damaged
    }

    /// The JSON of `document` with one field set to a boundary value.
    public func json(_ document: SnapshotDocument, _ source: inout Source) -> [UInt8] {
        var edited = document
        let number = Self.integers[source.below(Self.integers.count)]
        let text = ["", "0x", "-1", "0x1_0", "zz", "0xFFFFFFFFFFFFFFFFF", "1.2.3", "1.2.3.256", "GICD_NOSUCH", "abc"][source.below(10)]
        switch source.below(14) {
        case 0: edited.interruptCount = number
        case 1: edited.gicVersion = number
        case 2: edited.formatVersion = number
        case 3: edited.typer = text
        case 4 where !edited.vcpus.isEmpty:
            let position = source.below(edited.vcpus.count)
            switch source.below(4) {
            case 0: edited.vcpus[position].priorityBits = number
            case 1: edited.vcpus[position].id = number
            case 2: edited.vcpus[position].affinity = text
            default: edited.vcpus.remove(at: position)
            }
        case 5, 6, 7:
            let inDistributor = source.below(2) == 0 || edited.vcpus.isEmpty
            var banks = inDistributor ? edited.distributor : edited.vcpus[0].registers
            guard !banks.isEmpty else { break }
            let position = source.below(banks.count)
            switch source.below(5) {
            case 0, 1: banks[position].firstIndex = number
            case 2: banks[position].values.append(contentsOf: repeatElement("0x1", count: source.below(40)))
            case 3: banks[position].register = text
            default: banks[position].values = [text]
            }
            if inDistributor { edited.distributor = banks } else { edited.vcpus[0].registers = banks }
        case 8:
            edited.foreignSections.append(SnapshotDocument.Foreign(type: number, version: 1, payload: "00ff"))
        case 9:
            edited.foreignSections.append(SnapshotDocument.Foreign(type: 1 + source.below(3), version: 1, payload: text))
        case 10:
            let regions = (0..<(1 + source.below(4))).map { index in
                SnapshotDocument.Region(count: index == 0 ? number : 1, base: "0x" + String(0x10_0000 * (index + 1), radix: 16), index: index)
            }
            edited.redistributors = SnapshotDocument.RedistributorPlacement(legacy: nil, regions: regions)
        case 11:
            edited.redistributors = SnapshotDocument.RedistributorPlacement(legacy: text, regions: nil)
        case 12:
            edited.distributorBase = text
        default:
            edited.vcpus.append(contentsOf: edited.vcpus.prefix(1))
        }
        return (try? [UInt8](edited.json())) ?? []
    }
}
