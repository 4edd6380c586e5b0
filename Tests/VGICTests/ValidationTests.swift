import GICVocabulary
import KVM
import Testing
import VGIC

/// Every rule `VGICConfiguration.validate` enforces, each with the exact problem it reports.
@Suite("Configuration validation (before any ioctl)")
struct ValidationTests {
    func problem(_ configuration: VGICConfiguration, ipa: Int = 40, vcpus: Int = 4) -> VGICProblem? {
        configuration.firstProblem(ipaBits: ipa, vcpuCount: vcpus)
    }

    @Test("a well-formed v3 layout, a legacy one, a v2 one and v5 pass")
    func validLayouts() throws {
        #expect(problem(try v3Layout(its: 12 * mib, count: 992)) == nil)
        #expect(problem(.v3(distributor: 0, redistributors: .legacy(base: 0x10000))) == nil)
        #expect(problem(.v2(distributor: 0x8000_0000, cpuInterface: 0x8001_0000), vcpus: 8) == nil)
        #expect(problem(.v5) == nil)
        #expect(throws: Never.self) { try (try v3Layout()).validate(ipaBits: 40, vcpuCount: 4) }
    }

    @Test("validate throws .configuration with the problem")
    func validateThrows() {
        #expect(throws: VGICError.configuration(.noVCPUs)) {
            try VGICConfiguration.v5.validate(ipaBits: 40, vcpuCount: 0)
        }
    }

    @Test("vCPU count: at least one, at most the model's maximum")
    func vcpuCount() {
        #expect(problem(.v5, vcpus: 0) == .noVCPUs)
        #expect(problem(.v2(distributor: 0, cpuInterface: 0x1000), vcpus: 9) == .tooManyVCPUs(count: 9, maximum: 8))
        #expect(problem(.v3(distributor: 0, redistributors: .legacy(base: 0x10000)), vcpus: 513)
            == .tooManyVCPUs(count: 513, maximum: 512))
    }

    @Test("frames the model lacks, and frames it needs")
    func modelMembership() {
        #expect(problem(VGICConfiguration(version: .v5, distributorBase: 0)) == .frameNotInModel(.distributor, .v5))
        #expect(problem(VGICConfiguration(version: .v5, interruptCount: 64)) == .interruptCountNotInModel(.v5))
        #expect(problem(VGICConfiguration(version: .v3, distributorBase: 0, redistributors: .legacy(base: 0x10000), cpuInterfaceBase: 0x1000))
            == .frameNotInModel(.cpuInterface, .v3))
        #expect(problem(VGICConfiguration(version: .v2, distributorBase: 0, cpuInterfaceBase: 0x1000, itsBase: 0x10000))
            == .frameNotInModel(.its, .v2))
        #expect(problem(VGICConfiguration(version: .v3, redistributors: .legacy(base: 0))) == .missingFrame(.distributor, .v3))
        #expect(problem(VGICConfiguration(version: .v3, distributorBase: 0)) == .missingFrame(.redistributors, .v3))
        #expect(problem(VGICConfiguration(version: .v2, distributorBase: 0)) == .missingFrame(.cpuInterface, .v2))
    }

    @Test("regions: at least one, numbered 0, 1, 2 … in order")
    func regionNumbering() throws {
        #expect(problem(.v3(distributor: 0, redistributors: .regions([]))) == .noRedistributorRegions)
        let skipped = try [RedistributorRegion(count: 4, base: mib, index: 0), RedistributorRegion(count: 1, base: 2 * mib, index: 2)]
        #expect(problem(.v3(distributor: 0, redistributors: .regions(skipped))) == .regionIndex(position: 1, index: 2))
        let first = try [RedistributorRegion(count: 4, base: mib, index: 1)]
        #expect(problem(.v3(distributor: 0, redistributors: .regions(first))) == .regionIndex(position: 0, index: 1))
    }

    @Test("interrupt count: multiples of 32 in 64...992", arguments: [
        (UInt32(0), false), (32, false), (63, false), (64, true), (96, true), (100, false), (992, true),
        (1000, false), (1023, false), (1024, false), (4096, false),
    ])
    func interruptCount(count: UInt32, accepted: Bool) throws {
        let got = problem(try v3Layout(count: count))
        #expect(got == (accepted ? nil : .interruptCount(count)))
        #expect(VGICConfiguration.isValidInterruptCount(count) == accepted)
    }

    @Test("alignment: 64 KiB for v3 frames and the ITS, 4 KiB for v2")
    func alignment() {
        #expect(problem(.v3(distributor: 0x1000, redistributors: .legacy(base: mib)))
            == .misaligned(.distributor, base: 0x1000, alignment: 0x10000))
        #expect(problem(.v3(distributor: 0, redistributors: .legacy(base: 0x10000 + 0x1000)))
            == .misaligned(.redistributors, base: 0x11000, alignment: 0x10000))
        #expect(problem(.v3(distributor: 0, redistributors: .legacy(base: mib), its: 2 * mib + 0x8000))
            == .misaligned(.its, base: 2 * mib + 0x8000, alignment: 0x10000))
        #expect(problem(.v2(distributor: 0x800, cpuInterface: 0x2000)) == .misaligned(.distributor, base: 0x800, alignment: 0x1000))
        #expect(problem(.v2(distributor: 0x1000, cpuInterface: 0x2000)) == nil)
    }

    @Test("every frame wholly below 1 << ipaBits, including half-outside frames")
    func ipa() throws {
        let top: UInt64 = 1 << 40
        #expect(problem(.v3(distributor: top, redistributors: .legacy(base: 0)))
            == .beyondIPA(.distributor, base: top, size: 0x10000, ipaBits: 40))
        #expect(problem(.v3(distributor: top - 0x10000, redistributors: .legacy(base: 0))) == nil)
        // Room for 3 redistributors, 4 vCPUs: the selftest's run-time EINVAL, caught here.
        #expect(problem(.v3(distributor: 0, redistributors: .legacy(base: top - 3 * 0x20000)))
            == .beyondIPA(.redistributors, base: top - 0x60000, size: 0x80000, ipaBits: 40))
        #expect(problem(.v3(distributor: 0, redistributors: .legacy(base: mib), its: top - 0x10000))
            == .beyondIPA(.its, base: top - 0x10000, size: 0x20000, ipaBits: 40))
        let region = try RedistributorRegion(count: 2, base: top - 0x30000, index: 0)
        #expect(problem(.v3(distributor: 0, redistributors: .regions([region])), vcpus: 2)
            == .beyondIPA(.redistributorRegion(index: 0), base: top - 0x30000, size: 0x40000, ipaBits: 40))
        #expect(problem(.v3(distributor: top, redistributors: .legacy(base: 0)), ipa: 48) == nil)
    }

    @Test("redistributor capacity must cover every vCPU")
    func capacity() throws {
        #expect(problem(try v3Layout(), vcpus: 5) == .insufficientRedistributors(capacity: 4, vcpus: 5))
        #expect(problem(try v3Layout(), vcpus: 4) == nil)
    }

    @Test("frames must not overlap, including the DIST-over-legacy-REDIST the kernel misses")
    func overlap() throws {
        // vgic_init.c: DIST at 0x70000 over a 4-vCPU REDIST block at 0 is accepted at set time.
        #expect(problem(.v3(distributor: 0x70000, redistributors: .legacy(base: 0)))
            == .overlap(.distributor, .redistributors))
        #expect(problem(.v3(distributor: 0x80000, redistributors: .legacy(base: 0))) == nil)
        let regions = try [RedistributorRegion(count: 2, base: 0x200000, index: 0), RedistributorRegion(count: 1, base: 0x210000, index: 1)]
        #expect(problem(.v3(distributor: 0, redistributors: .regions(regions)), vcpus: 3)
            == .overlap(.redistributorRegion(index: 0), .redistributorRegion(index: 1)))
        #expect(problem(.v3(distributor: 0, redistributors: .legacy(base: mib), its: 0)) == .overlap(.distributor, .its))
        #expect(problem(.v2(distributor: 0x1000, cpuInterface: 0)) == .overlap(.distributor, .cpuInterface))
    }

    @Test("Apple-style static geometry")
    func geometry() {
        #expect(GICVersion.v3.distributorSize == 0x10000)
        #expect(GICVersion.v2.distributorSize == 0x1000)
        #expect(GICVersion.v3.redistributorSize == 0x20000)
        #expect(GICVersion.v2.cpuInterfaceSize == 0x2000)
        #expect(GICVersion.v5.distributorSize == nil)
        #expect(GICVersion.itsSize == 0x20000)
        #expect(GICVersion.v3.frameAlignment == 0x10000)
        #expect(GICVersion.v2.frameAlignment == 0x1000)
        #expect(GICVersion.v3.deviceType == .vgicV3 && GICVersion.v5.deviceType == .vgicV5)
    }
}
