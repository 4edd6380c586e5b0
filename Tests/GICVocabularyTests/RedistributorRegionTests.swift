import Testing
@testable import GICVocabulary
import TestSupport

/// The selftests' `REDIST_REGION_ATTR_ADDR(count, base, flags, index)` macro, transcribed.
private func redistRegionAttrAddr(_ count: UInt64, _ base: UInt64, _ flags: UInt64, _ index: UInt64) -> UInt64 {
    (count << 52) | ((base >> 16) << 16) | (flags << 12) | index
}

@Suite("REDIST_REGION value")
struct RedistributorRegionTests {
    @Test("vgic_init selftest: REDIST_REGION_ATTR_ADDR(2, 0x200000, 0, 0) is 0x0020_0000_0020_0000")
    func selftestExample() throws {
        let region = try RedistributorRegion(count: 2, base: 0x20_0000, index: 0)
        #expect(region.rawValue == 0x0020_0000_0020_0000)
        #expect(region.rawValue == redistRegionAttrAddr(2, 0x20_0000, 0, 0))
        #expect(region.size == 0x4_0000)
        #expect(try RedistributorRegion(rawValue: 0x0020_0000_0020_0000) == region)
    }

    @Test("Valid fields encode exactly as the selftest macro and decode back (seeded)")
    func macroAgreement() throws {
        var rng = SplitMix64(seed: 0x5244_4953)
        for _ in 0..<20_000 {
            let count = UInt32(rng.next() % 4095) + 1
            let base = (rng.next() & 0x000F_FFFF_FFFF_0000)
            let index = UInt32(rng.next() % 4096)
            let region = try RedistributorRegion(count: count, base: base, index: index)
            #expect(region.rawValue == redistRegionAttrAddr(UInt64(count), base, 0, UInt64(index)))
            #expect(try RedistributorRegion(rawValue: region.rawValue) == region)
        }
    }

    @Test("Random 64-bit values decode iff flags are 0 and count is non-zero, and then round-trip (seeded)")
    func randomDecode() {
        var rng = SplitMix64(seed: 0x464C_4147)
        var recorder = MismatchRecorder()
        for _ in 0..<50_000 {
            var raw = rng.next()
            if raw & 1 == 0 { raw &= ~0xF000 }          // half the samples with clear flags
            if raw & 2 == 0 { raw &= ~(0xFFF << 52) }   // some with count 0
            let expected: Result<UInt64, GICValueError>
            if raw & 0xF000 != 0 {
                expected = .failure(.reservedBitsSet(field: .redistRegionFlags, value: raw, reservedMask: 0xF000))
            } else if raw >> 52 == 0 {
                expected = .failure(.outOfRange(field: .redistRegionCount, value: 0, allowed: 1...4095))
            } else {
                expected = .success(raw)
            }
            let actual = outcome { () throws(GICValueError) -> UInt64 in try RedistributorRegion(rawValue: raw).rawValue }
            recorder.check(actual, expected, "raw \(hex(raw))")
        }
        #expect(recorder.count == 0)
    }

    @Test("count must be 1–4095", arguments: [UInt32(0), 1, 4095, 4096])
    func counts(_ count: UInt32) {
        let result = outcome { () throws(GICValueError) -> UInt32 in
            try RedistributorRegion(count: count, base: 0x8_0000, index: 0).count
        }
        if (1...4095).contains(count) {
            #expect(result == .success(count))
        } else {
            #expect(result == .failure(.outOfRange(field: .redistRegionCount, value: UInt64(count), allowed: 1...4095)))
        }
    }

    @Test("base must be 64 KiB aligned", arguments: [UInt64(0x1_0000), 0x1_8000, 0x1_0004, 0xFFFF])
    func baseAlignment(_ base: UInt64) {
        let result = outcome { () throws(GICValueError) -> UInt64 in
            try RedistributorRegion(count: 1, base: base, index: 0).base
        }
        if base % 0x1_0000 == 0 {
            #expect(result == .success(base))
        } else {
            #expect(result == .failure(.misaligned(field: .redistRegionBase, value: base, alignment: 0x1_0000)))
        }
    }

    @Test("base must be below 2^52: the field is bits 51:16")
    func baseLimit() throws {
        let top: UInt64 = 0x000F_FFFF_FFFF_0000
        #expect(try RedistributorRegion(count: 1, base: top, index: 0).base == top)
        #expect(throws: GICValueError.outOfRange(field: .redistRegionBase, value: 1 << 52, allowed: 0...((1 << 52) - 1))) {
            try RedistributorRegion(count: 1, base: 1 << 52, index: 0)
        }
    }

    @Test("index must be 0–4095, also for the GET request")
    func indices() throws {
        #expect(try RedistributorRegion(count: 1, base: 0, index: 4095).rawValue == 1 << 52 | 4095)
        #expect(throws: GICValueError.outOfRange(field: .redistRegionIndex, value: 4096, allowed: 0...4095)) {
            try RedistributorRegion(count: 1, base: 0, index: 4096)
        }
        #expect(try RedistributorRegion.readRequest(index: 3) == 3)
        #expect(throws: GICValueError.outOfRange(field: .redistRegionIndex, value: 4096, allowed: 0...4095)) {
            try RedistributorRegion.readRequest(index: 4096)
        }
    }

    @Test("Non-zero flags in a value read back are rejected with the whole value")
    func flags() {
        let raw: UInt64 = 0x0020_0000_0020_1000
        #expect(throws: GICValueError.reservedBitsSet(field: .redistRegionFlags, value: raw, reservedMask: 0xF000)) {
            try RedistributorRegion(rawValue: raw)
        }
    }
}
