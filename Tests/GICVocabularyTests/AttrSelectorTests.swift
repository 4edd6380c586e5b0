import Testing
@testable import GICVocabulary
import TestSupport

@Suite("Attr selectors")
struct AttrSelectorTests {
    // MARK: Affinity

    @Test("Affinity takes Aff3 from MPIDR bits 39:32 and packs it at attr bits 63:56")
    func affinityFromMPIDR() {
        // Bit 31 (RES1), bit 30 (U) and bit 24 (MT) are not affinity and must be dropped.
        let mpidr: UInt64 = 0x0000_0012_C134_5678
        let affinity = Affinity(mpidr: mpidr)
        #expect(affinity == Affinity(aff3: 0x12, aff2: 0x34, aff1: 0x56, aff0: 0x78))
        #expect(affinity.packed == 0x1234_5678)
        #expect(affinity.attrBits == 0x1234_5678_0000_0000)
        #expect(affinity.mpidrAffinityBits == 0x0000_0012_0034_5678)
    }

    @Test("Affinity round-trips through MPIDR, packed and attr forms (seeded)")
    func affinityProperties() {
        var rng = SplitMix64(seed: 0xAFF1)
        var failures: [UInt64] = []
        for _ in 0..<20_000 {
            let mpidr = rng.next()
            let low = UInt64(rng.next32())
            let affinity = Affinity(mpidr: mpidr)
            let ok = affinity.mpidrAffinityBits == mpidr & 0x0000_00FF_00FF_FFFF
                && Affinity(packed: affinity.packed) == affinity
                && Affinity(attr: affinity.attrBits | low) == affinity
                && Affinity(mpidr: affinity.mpidrAffinityBits) == affinity
            if !ok { failures.append(mpidr) }
        }
        #expect(failures.isEmpty, "first failing MPIDRs: \(failures.prefix(3).map { hex($0) })")
    }

    @Test("KVM's reset MPIDR spreads the vcpu id as Aff0 = id & 0xf, Aff1 = (id>>4) & 0xff, Aff2 = (id>>12) & 0xff", arguments: [
        (UInt32(0), UInt64(0x8000_0000)),
        (1, 0x8000_0001),
        (15, 0x8000_000F),
        (16, 0x8000_0100),
        (17, 0x8000_0101),
        (4095, 0x8000_FF0F),
        (4096, 0x8001_0000),
        (0x12345, 0x8012_3405),
    ])
    func kvmReset(_ id: UInt32, _ mpidr: UInt64) {
        #expect(Affinity.kvmResetDefaultMPIDR(vcpuID: id) == mpidr)
        #expect(Affinity.kvmResetDefault(vcpuID: id) == Affinity(mpidr: mpidr))
    }

    @Test("KVM's reset affinity keeps Aff0 below 16, Aff3 at 0, and is distinct for every id below 2^20")
    func kvmResetShape() {
        var seen = Set<UInt32>()
        var failures: [UInt32] = []
        for id in UInt32(0)..<(1 << 20) {
            let affinity = Affinity.kvmResetDefault(vcpuID: id)
            if affinity.aff0 >= 16 || affinity.aff3 != 0 { failures.append(id) }
            seen.insert(affinity.packed)
        }
        #expect(failures.isEmpty, "first failing ids: \(failures.prefix(3))")
        #expect(seen.count == 1 << 20)
    }

    @Test("The reset affinity is not the vCPU index: vCPU 16 selects as 0.0.1.0")
    func resetIsNotIndex() {
        let affinity = Affinity.kvmResetDefault(vcpuID: 16)
        #expect(affinity.attrBits == 0x0000_0100_0000_0000)
        #expect(affinity.attrBits != UInt64(16) << 32)
    }

    // MARK: GICv2 selector

    @Test("GICv2 selects by vCPU index 0–255 in bits 39:32; 256 is rejected")
    func v2Selector() throws {
        for index in UInt32(0)...255 {
            let selector = try V2CPUSelector(vcpuIndex: index)
            #expect(selector.attrBits == UInt64(index) << 32)
            #expect(V2CPUSelector(attr: selector.attrBits | 0xFFFF_FFFF) == selector)
        }
        #expect(throws: GICValueError.outOfRange(field: .v2CPUIndex, value: 256, allowed: 0...255)) {
            try V2CPUSelector(vcpuIndex: 256)
        }
    }

    @Test("GICv2 attr is the selftest's REG_OFFSET(vcpu, offset) = vcpu << 32 | offset")
    func v2Attr() throws {
        let attr = try V2RegisterAttr(cpu: V2CPUSelector(vcpuIndex: 3), offset: 0x8)
        #expect(attr.rawValue == 0x3_0000_0008)
        #expect(try V2RegisterAttr(rawValue: 0x3_0000_0008) == attr)
        #expect(throws: GICValueError.misaligned(field: .registerOffset, value: 0x6, alignment: 4)) {
            try V2RegisterAttr(cpu: V2CPUSelector(vcpuIndex: 0), offset: 0x6)
        }
        #expect(throws: GICValueError.reservedBitsSet(field: .registerAttr, value: 0x100_0000_0008, reservedMask: 0xFFFF_FF00_0000_0000)) {
            try V2RegisterAttr(rawValue: 0x100_0000_0008)
        }
    }

    // MARK: GICv3 register attr

    @Test("DIST/REDIST attr is affinity bits | offset; GICR_IPRIORITYR INTID 5 on vCPU 0.0.0.3 is 0x3_0001_0404")
    func registerAttr() throws {
        let affinity = Affinity(aff0: 3)
        let attr = try RegisterAttr(affinity: affinity, register: .gicrIPRIORITYR, intid: 5)
        #expect(attr.rawValue == 0x0000_0003_0001_0404)
        #expect(try RegisterAttr(rawValue: attr.rawValue) == attr)
        #expect(RegisterAttr(affinity: affinity, register: .gicrTYPER).rawValue == 0x0000_0003_0000_0008)
    }

    @Test("Register offsets must be 4-aligned", arguments: Array(UInt32(0x10400)...0x10408))
    func registerOffsetAlignment(_ offset: UInt32) {
        let result = outcome { () throws(GICValueError) -> UInt32 in
            try RegisterAttr(affinity: Affinity(aff0: 0), offset: offset).offset
        }
        if offset % 4 == 0 {
            #expect(result == .success(offset))
        } else {
            #expect(result == .failure(.misaligned(field: .registerOffset, value: UInt64(offset), alignment: 4)))
        }
    }

    @Test("A register attr for an INTID outside the register is rejected with the register's range")
    func registerAttrOutside() {
        #expect(throws: GICValueError.notInRegister(frame: .redistributorSGI, offset: 0x1_0400, intid: 32, allowed: 0...31)) {
            try RegisterAttr(affinity: Affinity(aff0: 0), register: .gicrIPRIORITYR, intid: 32)
        }
    }

    // MARK: LEVEL_INFO

    @Test("LEVEL_INFO selector is the selftest's attr 32*(intid/32) with info 0")
    func levelInfoSelftest() throws {
        for intid in UInt32(0)...1023 {
            let selector = try LevelInfoSelector(affinity: Affinity(aff0: 0), covering: intid)
            #expect(selector.attr == UInt64(32 * (intid / 32)))
            #expect(selector.bit(for: intid) == intid % 32)
        }
    }

    @Test("LEVEL_INFO vINTID must be a multiple of 32 below 1024")
    func levelInfoINTIDs() {
        var recorder = MismatchRecorder()
        for intid in UInt32(0)...1100 {
            let expected: Result<UInt64, GICValueError>
            if intid > 1023 {
                expected = .failure(.outOfRange(field: .levelInfoINTID, value: UInt64(intid), allowed: 0...1023))
            } else if intid % 32 != 0 {
                expected = .failure(.misaligned(field: .levelInfoINTID, value: UInt64(intid), alignment: 32))
            } else {
                expected = .success(0x0102_0304_0000_0000 | UInt64(intid))
            }
            let actual = outcome { () throws(GICValueError) -> UInt64 in
                try LevelInfoSelector(affinity: Affinity(packed: 0x0102_0304), firstINTID: intid).attr
            }
            recorder.check(actual, expected, "vINTID \(intid)")
        }
        #expect(recorder.count == 0)
    }

    @Test("LEVEL_INFO decode rejects a non-zero info field and round-trips valid attrs")
    func levelInfoDecode() throws {
        let attr: UInt64 = 0x0000_0001_0000_0040
        let selector = try LevelInfoSelector(attr: attr)
        #expect(selector.affinity == Affinity(aff0: 1))
        #expect(selector.firstINTID == 64)
        #expect(selector.intids == 64...95)
        #expect(selector.bit(for: 63) == nil)
        #expect(selector.attr == attr)
        #expect(throws: GICValueError.reservedBitsSet(field: .levelInfoInfo, value: attr | 1 << 10, reservedMask: 0xFFFF_FC00)) {
            try LevelInfoSelector(attr: attr | 1 << 10)
        }
        #expect(throws: GICValueError.misaligned(field: .levelInfoINTID, value: 65, alignment: 32)) {
            try LevelInfoSelector(attr: attr | 1)
        }
    }

    @Test("LEVEL_INFO for an INTID above 1023 is rejected (the kernel masks vINTID to 10 bits)")
    func levelInfoCoveringHigh() {
        #expect(throws: GICValueError.outOfRange(field: .levelInfoINTID, value: 8192, allowed: 0...1023)) {
            try LevelInfoSelector(affinity: Affinity(aff0: 0), covering: 8192)
        }
    }
}
