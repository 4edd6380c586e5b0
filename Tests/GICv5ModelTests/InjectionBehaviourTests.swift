import GICVocabulary
import Testing
@testable import GICv5Model

@Suite("Pluggable injection behaviour and physical mapping (GICv5Model.docc/GICv5UnderKVM.md)")
struct InjectionBehaviourTests {
    @Test("Every PPI starts with KVM's GICv5 PPI ops: hardware-managed with a direct-injection switch")
    func defaultBehaviour() throws {
        let vm = try GICv5VM()
        #expect(vm.vcpus[0].ppis.allSatisfy { $0.behaviour == .directInjection && $0.physical == nil })
        #expect(vm.vcpus[0].images.directInjection.isEmpty)
    }

    @Test("KVM_IRQ_LINE semantics: each raise of an edge PPI is a new edge; lowering it and repeating a level do nothing")
    func validation() throws {
        var vm = try GICv5VM()
        #expect(try vm.inject(.swPPI, vcpu: 0, level: true) == .kicked)
        #expect(try vm.inject(.swPPI, vcpu: 0, level: true) == .kicked)
        #expect(try vm.inject(.swPPI, vcpu: 0, level: false) == .unchanged)
        #expect(vm.vcpus[0][.swPPI].pendingLatch)
        #expect(try vm.inject(.cnthp, vcpu: 0, level: false) == .unchanged)
        #expect(try vm.inject(.cnthp, vcpu: 0, level: true) == .kicked)
        #expect(try vm.inject(.cnthp, vcpu: 0, level: true) == .unchanged)
        #expect(try vm.inject(.cnthp, vcpu: 0, level: false) == .kicked, "a lowering also goes to the queue path")
        #expect(!vm.vcpus[0][.cnthp].lineLevel)
    }

    @Test("An owned PPI takes injections only from its owner; userspace's are dropped without error")
    func ownership() throws {
        var vm = try GICv5VM()
        #expect(try vm.inject(.cntv, vcpu: 0, level: true) == .dropped)
        #expect(!vm.vcpus[0][.cntv].lineLevel && !vm.vcpus[0].kickRequested)
        #expect(try vm.inject(.cntv, vcpu: 0, level: true, from: .owner) == .kicked)
        #expect(vm.vcpus[0][.cntv].lineLevel)
    }

    @Test("The queue path puts a pending, enabled PPI on the AP list once; otherwise nothing is queued")
    func queuePath() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI])
        try vm.setBehaviour(.queue, for: .swPPI, vcpu: 0)
        try vm.setBehaviour(.queue, for: .cnthp, vcpu: 0)
        #expect(try vm.inject(.swPPI, vcpu: 0, level: true) == .queued)
        #expect(try vm.inject(.swPPI, vcpu: 0, level: true) == .notQueued, "already on the AP list")
        #expect(try vm.inject(.cnthp, vcpu: 0, level: true) == .notQueued, "not enabled")
        #expect(vm.vcpus[0].apList == [.swPPI])
        var hw = try vm.enterGuest(vcpu: 0)
        #expect(hw.ppiPending[.swPPI], "entry injects it from the per-PPI state either way")
        var irs = vm.irs
        #expect(GICv5Guest.acknowledge(cpu: &hw, irs: &irs).isValid)
        GICv5Guest.priorityDrop(cpu: &hw)
        GICv5Guest.deactivate(GICv5PPI.swPPI.interruptID, cpu: &hw, irs: &irs)
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        #expect(vm.vcpus[0].apList.isEmpty, "pruned: neither pending nor active")
    }

    @Test("Hardware-managed and direct-injection behaviours kick instead of queuing")
    func kickPaths() throws {
        for behaviour in [InjectionBehaviour.hardwareManaged, .directInjection] {
            var vm = try vmAfterGuestSetup(enabling: [.swPPI])
            try vm.setBehaviour(behaviour, for: .swPPI, vcpu: 0)
            #expect(try vm.inject(.swPPI, vcpu: 0, level: true) == .kicked)
            #expect(vm.vcpus[0].apList.isEmpty && vm.vcpus[0].kickRequested)
        }
    }

    @Test("Mapping switches DVI on only for a behaviour that can inject directly; the behaviour is untouched")
    func mappingAndDVI() throws {
        var vm = try GICv5VM()
        try vm.mapPhysical(.cntv, vcpu: 0, hostIRQ: 27)
        #expect(vm.vcpus[0].images.directInjection == PPISet([.cntv]))
        #expect(vm.vcpus[0][.cntv].physical == PhysicalMapping(hostIRQ: 27))
        try vm.setBehaviour(.hardwareManaged, for: .cntp, vcpu: 0)
        try vm.mapPhysical(.cntp, vcpu: 0, hostIRQ: 30)
        #expect(!vm.vcpus[0].images.directInjection[.cntp])
        #expect(vm.vcpus[0][.cntp].behaviour == .hardwareManaged)
        #expect(try !vm.setDirectInjection(true, for: .cntp, vcpu: 0))
        #expect(try vm.setDirectInjection(false, for: .cntv, vcpu: 0))
        #expect(vm.vcpus[0].images.directInjection.isEmpty)
    }

    @Test("Direct injection can be switched per interrupt and per vCPU")
    func perInterruptSwitch() throws {
        var vm = try GICv5VM(GICv5VMConfiguration(vcpuCount: 2))
        try vm.setDirectInjection(true, for: .cntv, vcpu: 1)
        try vm.setDirectInjection(true, for: .cntp, vcpu: 1)
        try vm.setDirectInjection(false, for: .cntv, vcpu: 1)
        #expect(vm.vcpus[1].images.directInjection == PPISet([.cntp]))
        #expect(vm.vcpus[0].images.directInjection.isEmpty)
    }

    @Test("A behaviour installed after the map misses the switch-on")
    func behaviourAfterMap() throws {
        var vm = try GICv5VM()
        try vm.setBehaviour(.queue, for: .cntv, vcpu: 0)
        try vm.mapPhysical(.cntv, vcpu: 0, hostIRQ: 27)
        try vm.setBehaviour(.directInjection, for: .cntv, vcpu: 0)
        #expect(!vm.vcpus[0].images.directInjection[.cntv])
    }

    @Test("Replacing the behaviour of a mapped PPI leaves its DVI bit, and unmap can then no longer clear it")
    func replacingBehaviourKeepsDVI() throws {
        var vm = try GICv5VM()
        try vm.mapPhysical(.cntv, vcpu: 0, hostIRQ: 27)
        try vm.setBehaviour(.hardwareManaged, for: .cntv, vcpu: 0)
        try vm.unmapPhysical(.cntv, vcpu: 0)
        #expect(vm.vcpus[0].images.directInjection[.cntv])
        #expect(vm.vcpus[0][.cntv].physical == nil)
    }

    @Test("clearBehaviour returns to the default queue path")
    func clearBehaviour() throws {
        var vm = try GICv5VM()
        try vm.clearBehaviour(for: .swPPI, vcpu: 0)
        #expect(vm.vcpus[0][.swPPI].behaviour == .queue)
        #expect(throws: GICv5ModelError.noSuchVCPU(index: 3, count: 1)) { try vm.clearBehaviour(for: .swPPI, vcpu: 3) }
    }
}
