import GICVocabulary
import Testing
@testable import GICv5Model
import TestSupport

/// Vector ids are those of GICv5Model.docc/GICv5TestVectors.md.
@Suite("KVM's WFI pending check with the effective priority mask (GICv5Model.docc/GICv5UnderKVM.md)")
struct KVMPendingCheckTests {
    /// A stopped vCPU with the given guest control state, SW_PPI enabled with `priority`, pending,
    /// and the priorities synced by a put in WFI.
    func vm(enabled: Bool = true, apr: UInt32 = 0, vpmr: UInt8, priority: UInt8, pending: Bool = true) throws -> GICv5VM {
        var vm = try GICv5VM()
        var hw = try vm.enterGuest(vcpu: 0)
        hw.writeControl(enabled ? 1 : 0)
        hw.writePriorityMask(UInt64(vpmr))
        hw.writeActivePriorities(UInt64(apr))
        hw.ppiPriorities[.swPPI] = priority
        hw.writeEnable(.bank0, bit(.swPPI))
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        if pending { try vm.inject(.swPPI, vcpu: 0, level: true) }
        try vm.put(vcpu: 0, inWFI: true)
        return vm
    }

    @Test("K5-01: VMCR.EN = 0 gives mask 0 and no pending PPI")
    func k5_01() throws {
        let vm = try vm(enabled: false, vpmr: 31, priority: 0)
        #expect(try vm.effectivePriorityMask(vcpu: 0) == 0)
        #expect(try !vm.hasPendingPPI(vcpu: 0))
    }

    @Test("K5-02: EN = 1, APR 0, VPMR 31: mask 32, a priority-31 PPI is pending")
    func k5_02() throws {
        let vm = try vm(vpmr: 31, priority: 31)
        #expect(try vm.effectivePriorityMask(vcpu: 0) == 32)
        #expect(try vm.hasPendingPPI(vcpu: 0))
    }

    @Test("K5-03: APR bit 5 set, VPMR 31: mask 5, a priority-5 PPI is not pending")
    func k5_03() throws {
        let vm = try vm(apr: 1 << 5, vpmr: 31, priority: 5)
        #expect(try vm.effectivePriorityMask(vcpu: 0) == 5)
        #expect(try !vm.hasPendingPPI(vcpu: 0))
    }

    @Test("K5-04: APR 0, VPMR 16: mask 17, a priority-16 PPI is pending (equal to VPMR passes)")
    func k5_04() throws {
        let vm = try vm(vpmr: 16, priority: 16)
        #expect(try vm.effectivePriorityMask(vcpu: 0) == 17)
        #expect(try vm.hasPendingPPI(vcpu: 0))
    }

    @Test("A PPI one below VPMR's priority (VPMR + 1) is masked")
    func belowMask() throws {
        #expect(try !vm(vpmr: 16, priority: 17).hasPendingPPI(vcpu: 0))
    }

    @Test("Disabled or not pending PPIs never count; active state is not looked at")
    func enabledAndPendingOnly() throws {
        #expect(try !vm(vpmr: 31, priority: 0, pending: false).hasPendingPPI(vcpu: 0))
        var vm = try vm(vpmr: 31, priority: 0)
        try vm.trapEnableWrite(vcpu: 0, bank: .bank0, value: 0)
        #expect(try !vm.hasPendingPPI(vcpu: 0))
        var active = try self.vm(vpmr: 31, priority: 0)
        var hw = try active.enterGuest(vcpu: 0)
        hw.writeSetActive(.bank0, bit(.swPPI))
        try active.exitGuest(vcpu: 0, hardwareState: hw)
        try active.put(vcpu: 0, inWFI: true)
        #expect(active.vcpus[0][.swPPI].active && active.vcpus[0][.swPPI].isPending)
        #expect(try active.hasPendingPPI(vcpu: 0))
    }

    @Test("A mapped PPI counts by its physical line level, not by KVM's pending state")
    func mappedUsesPhysicalLine() throws {
        var vm = try GICv5VM()
        var hw = try vm.enterGuest(vcpu: 0)
        hw.writeControl(1)
        hw.writePriorityMask(31)
        hw.writeEnable(.bank0, bit(.cntv))
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        try vm.put(vcpu: 0, inWFI: true)
        try vm.inject(.cntv, vcpu: 0, level: true, from: .owner)
        #expect(try vm.hasPendingPPI(vcpu: 0))
        try vm.mapPhysical(.cntv, vcpu: 0, hostIRQ: 27, lineLevel: false)
        #expect(try !vm.hasPendingPPI(vcpu: 0))
        try vm.setPhysicalLineLevel(true, for: .cntv, vcpu: 0)
        #expect(try vm.hasPendingPPI(vcpu: 0))
    }

    @Test("Before the first run nothing is exposed, so nothing is pending")
    func beforeFirstRun() throws {
        var vm = try GICv5VM()
        try vm.inject(.swPPI, vcpu: 0, level: true)
        #expect(try !vm.hasPendingPPI(vcpu: 0))
    }

    @Test("Pending iff enabled && pending && priority <= VPMR && priority < running (seeded, 0xC0FFEE)")
    func property() throws {
        var rng = SplitMix64(seed: 0xC0FFEE)
        for _ in 0..<300 {
            let enabled = rng.next() % 4 != 0
            let vpmr = UInt8(rng.next() % 32)
            let priority = UInt8(rng.next() % 32)
            let apr = rng.next() % 3 == 0 ? 0 : UInt32(1) << UInt32(rng.next() % 32)
            let vm = try vm(enabled: enabled, apr: apr, vpmr: vpmr, priority: priority)
            let running = apr == 0 ? 32 : apr.trailingZeroBitCount
            let expected = enabled && priority <= vpmr && Int(priority) < running
            #expect(try vm.hasPendingPPI(vcpu: 0) == expected,
                    "seed 0xC0FFEE: EN \(enabled) VPMR \(vpmr) APR \(apr) priority \(priority)")
        }
    }
}
