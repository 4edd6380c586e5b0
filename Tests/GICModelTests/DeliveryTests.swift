import GICModel
import GICVocabulary
import Testing

/// What a running guest sees through KVM's list registers (GICModel.docc/GuestDelivery.md), as
/// the lab measured it on Debian 6.12.118 and 7.3.4 under QEMU 7.2 (4 list registers).
@Suite("Delivery to a running guest")
struct DeliveryTests {
    /// `vcpus` vCPUs on `kernel`, distributor and Group 1 on, PMR 0xF8.
    func machine(_ kernel: KernelBehaviour, vcpus: UInt32 = 1) throws -> VGICDelivery {
        var delivery = VGICDelivery(gic: GICv3Model(configuration: .vcpus(vcpus, interruptCount: 128, kernel: kernel)))
        try delivery.hostWriteDistributor(offset: 0, 0x2)
        for vcpu in 0..<Int(vcpus) {
            let affinity = delivery.gic.redistributors[vcpu].affinity
            try delivery.hostWriteSystemRegister(affinity, ICCRegister.iccPMR.encoding, 0xF8)
            try delivery.hostWriteSystemRegister(affinity, ICCRegister.iccIGRPEN1.encoding, 1)
        }
        return delivery
    }

    /// SPI `intid` enabled with `priority`, edge or level, routed to vCPU `vcpu`.
    func configure(_ delivery: inout VGICDelivery, _ intid: UInt32, priority: UInt8, edge: Bool = true, vcpu: Int = 0) throws {
        let priorityWord = intid / 4 * 4
        let shift = (intid % 4) * 8
        let word = delivery.gic.readDistributor(offset: 0x400 + priorityWord)
        try delivery.hostWriteDistributor(offset: 0x400 + priorityWord, word & ~(0xFF << shift) | UInt32(priority) << shift)
        let configuration = delivery.gic.readDistributor(offset: 0xC00 + intid / 16 * 4)
        let bits = UInt32(2) << ((intid % 16) * 2)
        try delivery.hostWriteDistributor(offset: 0xC00 + intid / 16 * 4, edge ? configuration | bits : configuration & ~bits)
        try delivery.hostWriteDistributor(offset: 0x6000 + intid * 8, delivery.gic.redistributors[vcpu].affinity.packed)
        try delivery.hostWriteDistributor(offset: 0x100 + intid / 32 * 4, 1 << (intid % 32))
    }

    func raise(_ delivery: inout VGICDelivery, _ intid: UInt32, level: Bool = true) throws {
        try delivery.hostSetLine(IRQLineWord(rawValue: 1 << 24 | intid), level: level)
    }

    @Test("with 4 interrupts active, a fifth pending one reaches the guest on 7.x only", arguments: KernelBehaviour.allCases)
    func activesHoldTheListRegisters(kernel: KernelBehaviour) throws {
        var delivery = try machine(kernel)
        for (index, intid) in (40...44).enumerated() { try configure(&delivery, UInt32(intid), priority: UInt8(0x80 - 8 * index)) }
        // Acknowledge four in increasing priority, each injected while the previous is active.
        for intid in UInt32(40)...43 {
            try raise(&delivery, intid)
            delivery.enter(0, loading: true)
            #expect(delivery.guestAcknowledge(group1: true, vcpu: 0) == intid)
            delivery.exit(0)
        }
        try raise(&delivery, 44)
        delivery.enter(0, loading: true)
        let fifth = delivery.guestAcknowledge(group1: true, vcpu: 0)
        #expect(fifth == (kernel.deliversPastActiveListRegisters ? 44 : 1023))
        if !kernel.deliversPastActiveListRegisters {
            // 6.12: it sits on the ap_list outside the list registers, so a WFI would not wait.
            delivery.exit(0)
            #expect(delivery.hasPendingInterrupt(0))
        }
    }

    @Test("an edge interrupt's latch moves into its list register and comes back if still pending")
    func edgeLatchTravels() throws {
        var delivery = try machine(.linux7)
        try configure(&delivery, 40, priority: 0x80)
        try raise(&delivery, 40)
        delivery.enter(0, loading: true)
        #expect(!delivery.gic.interrupt(40, vcpu: 0).latch)
        #expect(delivery.vcpus[0].listRegisters.first?.state == .pending)
        delivery.exit(0)
        #expect(delivery.gic.interrupt(40, vcpu: 0).latch)
    }

    @Test("a level interrupt's latch is kept while it is active and cleared when its register retires")
    func levelLatchUntilRetired() throws {
        var delivery = try machine(.debian6_12)
        try configure(&delivery, 41, priority: 0x80, edge: false)
        try delivery.hostWriteDistributor(offset: 0x204, 1 << 9)  // uaccess ISPENDR: the latch
        delivery.enter(0, loading: true)
        #expect(delivery.guestAcknowledge(group1: true, vcpu: 0) == 41)
        delivery.exit(0)
        #expect(delivery.gic.interrupt(41, vcpu: 0).latch)
        #expect(delivery.gic.interrupt(41, vcpu: 0).active)
        delivery.enter(0, loading: true)
        delivery.guestEndOfInterrupt(41, group1: true, vcpu: 0)
        #expect(delivery.maintenanceInterrupt(0))  // the EOI bit of a level register
        delivery.exit(0)
        #expect(!delivery.gic.interrupt(41, vcpu: 0).latch)
        #expect(!delivery.gic.interrupt(41, vcpu: 0).active)
    }

    @Test("an SPI pended while the distributor is disabled stays stranded after enabling, until ISENABLER queues it")
    func strandedWhileDisabled() throws {
        var delivery = try machine(.linux7)
        try configure(&delivery, 42, priority: 0x80)
        delivery.guestWrite(.distributor, offset: 0, 0)
        try raise(&delivery, 42)
        delivery.guestWrite(.distributor, offset: 0, 0x2)
        #expect(delivery.gic.interrupt(42, vcpu: 0).isPending)
        #expect(!delivery.hasPendingInterrupt(0))
        delivery.guestWrite(.distributor, offset: 0x104, 1 << 10)
        #expect(delivery.hasPendingInterrupt(0))
    }

    @Test("EOImode 1: a DIR on another vCPU deactivates the SPI on 7.x (it traps); on 6.12 it is lost", arguments: KernelBehaviour.allCases)
    func asymmetricDeactivation(kernel: KernelBehaviour) throws {
        var delivery = try machine(kernel, vcpus: 2)
        for vcpu in 0..<2 { delivery.enter(vcpu, loading: true); delivery.guestSetControl(2, vcpu: vcpu); delivery.exit(vcpu) }
        try configure(&delivery, 43, priority: 0x80)
        try raise(&delivery, 43)
        delivery.enter(0, loading: true)
        #expect(delivery.guestAcknowledge(group1: true, vcpu: 0) == 43)
        delivery.guestEndOfInterrupt(43, group1: true, vcpu: 0)
        delivery.exit(0)
        delivery.enter(1, loading: true)
        #expect(delivery.deactivationTraps(1) == kernel.deactivatesAcrossVCPUs)
        if delivery.deactivationTraps(1) {
            delivery.exit(1)
            delivery.emulateTrappedDeactivate(43, vcpu: 1)
            delivery.enter(1, loading: false)
        } else {
            delivery.guestDeactivate(43, vcpu: 1)
        }
        delivery.exit(1)
        #expect(delivery.gic.interrupt(43, vcpu: 0).active == !kernel.deactivatesAcrossVCPUs)
    }

    @Test("an EOI of INTID 1020–1023 keeps the running priority (QEMU 7.2's virtual interface)")
    func specialEOI() throws {
        var delivery = try machine(.linux7)
        try configure(&delivery, 40, priority: 0x80)
        try raise(&delivery, 40)
        delivery.enter(0, loading: true)
        #expect(delivery.guestAcknowledge(group1: true, vcpu: 0) == 40)
        delivery.guestEndOfInterrupt(1023, group1: true, vcpu: 0)
        #expect(delivery.guestRunningPriority(vcpu: 0) == 0x80)
        delivery.guestEndOfInterrupt(40, group1: true, vcpu: 0)
        #expect(delivery.guestRunningPriority(vcpu: 0) == 0xFF)
    }

    @Test("the virtual timer: a hardware-mapped entry; deactivated with the condition met it fires again; disabled, its line drops")
    func virtualTimer() throws {
        var delivery = try machine(.linux7)
        let affinity = delivery.gic.redistributors[0].affinity
        try delivery.hostWriteRedistributor(affinity, offset: 0x1_0400 + 24, 0x80 << 24)  // PPI 27 priority
        try delivery.hostWriteRedistributor(affinity, offset: 0x1_0100, 1 << 27)
        delivery.enter(0, loading: true)
        delivery.guestSetTimerDeadline(1000, isTimerValue: true, vcpu: 0)
        delivery.guestSetTimerControl(1, vcpu: 0)
        delivery.exit(0)
        delivery.timerDeadlinePasses(0)
        #expect(delivery.timerInterruptWaiting(0))
        delivery.takeTimerInterrupt(0)
        delivery.enter(0, loading: false)
        #expect(delivery.vcpus[0].listRegisters.first?.physicalINTID == 27)
        #expect(delivery.guestAcknowledge(group1: true, vcpu: 0) == 27)
        delivery.guestEndOfInterrupt(27, group1: true, vcpu: 0)  // condition still met
        #expect(delivery.timerInterruptWaiting(0))
        delivery.exit(0)
        delivery.takeTimerInterrupt(0)
        delivery.enter(0, loading: false)
        #expect(delivery.guestAcknowledge(group1: true, vcpu: 0) == 27)
        delivery.guestSetTimerControl(0, vcpu: 0)
        delivery.guestEndOfInterrupt(27, group1: true, vcpu: 0)
        delivery.exit(0)
        #expect(!delivery.gic.interrupt(27, vcpu: 0).line)
        #expect(!delivery.timerInterruptWaiting(0))
    }
}
