import GICModel
import GICVocabulary
import Testing

/// The guest's view of the CPU interface (GICModel.docc/GICv3Behaviour.md): HPPI, PMR, binary point,
/// running priority, IAR/EOIR/DIR with APR bookkeeping, RPR and HPPIR. Host: 5 priority and
/// 5 preemption bits, so BPR0 ≥ 2, BPR1 ≥ 3, group priority mask 0xF8 by default, APR bit = prio >> 3.
/// Vector ids are those of GICModel.docc/GICv3TestVectors.md.
@Suite("Guest CPU interface")
struct GuestCPUInterfaceTests {
    /// vCPU 0 ready to take Group 1 interrupts: distributor on, IGRPEN1 set, PMR 0xF8.
    func ready(eoiMode: Bool = false) -> GICv3Model {
        var model = makeModel()
        model.setDistributorEnabled(true)
        var cpu = model.redistributors[0].cpuInterface
        cpu.groupEnable1 = true
        cpu.groupEnable0 = true
        cpu.pmr = 0xF8
        cpu.eoiMode = eoiMode
        model.setCPUInterface(vcpu: 0, to: cpu)
        return model
    }

    /// Makes `intid` enabled and pending (latched) on vCPU 0 with `priority`.
    func pend(_ model: inout GICv3Model, _ intid: UInt32, priority: UInt8, group1: Bool = true, edge: Bool = true) {
        model.setInterrupt(intid, vcpu: 0, to: InterruptState(
            latch: true, enabled: true, group1: group1, priority: priority, edge: edge, route: 0))
    }

    @Test("an EOIR of INTID 1020–1023 is ignored: the running priority stays (seen in the lab, guest.special_intid.eoi_keeps_priority)", arguments: [UInt32(1020), 1021, 1022, 1023])
    func specialEOI(intid: UInt32) {
        var model = ready()
        pend(&model, 40, priority: 0x80)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 40)
        model.endOfInterrupt(intid, group1: true, vcpu: 0)
        #expect(model.runningPriority(vcpu: 0) == 0x80)
        #expect(model.redistributors[0].cpuInterface.ap1r[0] == 1 << 16)
        model.endOfInterrupt(40, group1: true, vcpu: 0)
        #expect(model.runningPriority(vcpu: 0) == 0xFF)
        #expect(!model.interrupt(40, vcpu: 0).active)
    }

    @Test("the HPPI is the lowest priority value; equal priorities go to the lowest INTID")
    func hppiSelection() {
        var model = ready()
        pend(&model, 40, priority: 0x80)
        pend(&model, 33, priority: 0x40)
        pend(&model, 35, priority: 0x40)
        #expect(model.highestPriorityPending(vcpu: 0) == PendingInterrupt(intid: 33, priority: 0x40, group1: true))
    }

    @Test("G3-10/11: disabled or active interrupts are not candidates")
    func candidates() {
        var model = ready()
        pend(&model, 33, priority: 0x10)
        model.setInterrupt(34, to: InterruptState(latch: true, active: true, enabled: true, priority: 0x08, edge: true))
        model.setInterrupt(35, to: InterruptState(latch: true, enabled: false, priority: 0x00, edge: true))
        #expect(model.highestPriorityPending(vcpu: 0)?.intid == 33)
    }

    @Test("G3-14: an SPI routed to an affinity no vCPU has stays pending and is never signalled")
    func routedNowhere() {
        var model = ready()
        model.setInterrupt(40, to: InterruptState(latch: true, enabled: true, priority: 0, edge: true, route: 0x0909))
        #expect(model.highestPriorityPending(vcpu: 0) == nil)
        #expect(model.interrupt(40, vcpu: 0).isPending)
    }

    @Test("an SPI is a candidate only on the vCPU its route names")
    func routing() {
        var model = ready()
        model.setInterrupt(40, to: InterruptState(latch: true, enabled: true, priority: 0, edge: true, route: 2))
        var cpu2 = model.redistributors[2].cpuInterface
        cpu2.groupEnable1 = true
        model.setCPUInterface(vcpu: 2, to: cpu2)
        #expect(model.highestPriorityPending(vcpu: 0) == nil)
        #expect(model.highestPriorityPending(vcpu: 2)?.intid == 40)
    }

    @Test("nothing is forwarded while GICD_CTLR.EnableGrp1 is clear (vgic_target_oracle), nor for a disabled group")
    func enables() {
        var model = ready()
        pend(&model, 33, priority: 0x10)
        pend(&model, 34, priority: 0x08, group1: false)
        var cpu = model.redistributors[0].cpuInterface
        cpu.groupEnable0 = false
        model.setCPUInterface(vcpu: 0, to: cpu)
        #expect(model.highestPriorityPending(vcpu: 0)?.intid == 33)
        model.setDistributorEnabled(false)
        #expect(model.highestPriorityPending(vcpu: 0) == nil)
    }

    @Test("PMR masks strictly: priority 0x80 is taken with PMR 0x88, not with PMR 0x80")
    func pmrStrict() {
        var model = ready()
        pend(&model, 33, priority: 0x80)
        var cpu = model.redistributors[0].cpuInterface
        cpu.pmr = 0x80
        model.setCPUInterface(vcpu: 0, to: cpu)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 1023)
        #expect(model.hppir(group1: true, vcpu: 0) == 33)
        cpu.pmr = 0x88
        model.setCPUInterface(vcpu: 0, to: cpu)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 33)
    }

    @Test("T5: acknowledge activates, clears the latch, sets APR bit prio >> 3, and RPR follows")
    func acknowledge() {
        var model = ready()
        pend(&model, 33, priority: 0x50)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 33)
        let irq = model.interrupt(33, vcpu: 0)
        #expect(irq.active && !irq.latch)
        #expect(model.redistributors[0].cpuInterface.ap1r[0] == 1 << 10)
        #expect(model.runningPriority(vcpu: 0) == 0x50)
        #expect(model.hppir(group1: true, vcpu: 0) == 1023)
    }

    @Test("T5: a level interrupt with its line high is active and pending after acknowledge")
    func levelStaysPending() {
        var model = ready()
        model.setInterrupt(33, to: InterruptState(line: true, enabled: true, priority: 0x20, edge: false))
        #expect(model.acknowledge(group1: true, vcpu: 0) == 33)
        #expect(model.interrupt(33, vcpu: 0).active)
        #expect(model.interrupt(33, vcpu: 0).isPending)
        #expect(model.highestPriorityPending(vcpu: 0) == nil)
    }

    @Test("IAR of the other group returns 1023 and changes nothing")
    func wrongGroup() {
        var model = ready()
        pend(&model, 33, priority: 0x50)
        let before = model
        #expect(model.acknowledge(group1: false, vcpu: 0) == 1023)
        #expect(model.hppir(group1: false, vcpu: 0) == 1023)
        #expect(model == before)
    }

    @Test("preemption needs a strictly higher group priority; subpriority never preempts")
    func preemption() {
        var model = ready()
        pend(&model, 33, priority: 0x50)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 33)
        pend(&model, 34, priority: 0x50)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 1023)
        pend(&model, 35, priority: 0x48)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 35)
        #expect(model.runningPriority(vcpu: 0) == 0x48)
        // BPR1 = 5: group priority is bits [7:5], so 0x40 and 0x48 are one group: no preemption.
        var cpu = model.redistributors[0].cpuInterface
        cpu.bpr1 = 5
        model.setCPUInterface(vcpu: 0, to: cpu)
        pend(&model, 36, priority: 0x40)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 1023)
        pend(&model, 37, priority: 0x20)
        #expect(model.acknowledge(group1: true, vcpu: 0) == 37)
    }

    @Test("a stored binary point below the minimum counts as the minimum (BPR1 ≥ 3 with 5 preemption bits)")
    func minimumBinaryPoint() {
        let model = ready()
        #expect(model.groupPriorityMask(group1: true, vcpu: 0) == 0xF8)
        #expect(model.groupPriorityMask(group1: false, vcpu: 0) == 0xF8)
    }

    @Test("T6: EOImode 0 drops the priority and deactivates; nested EOIs restore the outer RPR")
    func eoiMode0() {
        var model = ready()
        pend(&model, 33, priority: 0x50)
        _ = model.acknowledge(group1: true, vcpu: 0)
        pend(&model, 34, priority: 0x10)
        _ = model.acknowledge(group1: true, vcpu: 0)
        #expect(model.runningPriority(vcpu: 0) == 0x10)
        model.endOfInterrupt(34, group1: true, vcpu: 0)
        #expect(!model.interrupt(34, vcpu: 0).active)
        #expect(model.runningPriority(vcpu: 0) == 0x50)
        model.endOfInterrupt(33, group1: true, vcpu: 0)
        #expect(!model.interrupt(33, vcpu: 0).active)
        #expect(model.runningPriority(vcpu: 0) == 0xFF)
        #expect(model.redistributors[0].cpuInterface.ap1r[0] == 0)
    }

    @Test("T7/T8: EOImode 1 only drops the priority; DIR deactivates")
    func eoiMode1() {
        var model = ready(eoiMode: true)
        pend(&model, 33, priority: 0x50)
        _ = model.acknowledge(group1: true, vcpu: 0)
        model.endOfInterrupt(33, group1: true, vcpu: 0)
        #expect(model.interrupt(33, vcpu: 0).active)
        #expect(model.runningPriority(vcpu: 0) == 0xFF)
        model.deactivate(33, vcpu: 0)
        #expect(!model.interrupt(33, vcpu: 0).active)
    }

    @Test("DIR is ignored with EOImode 0")
    func dirIgnoredInMode0() {
        var model = ready()
        pend(&model, 33, priority: 0x50)
        _ = model.acknowledge(group1: true, vcpu: 0)
        model.deactivate(33, vcpu: 0)
        #expect(model.interrupt(33, vcpu: 0).active)
    }

    @Test("an EOI with nothing active is ignored; one whose INTID does not match still drops the priority")
    func eoiEdgeCases() {
        var model = ready()
        let idle = model
        model.endOfInterrupt(33, group1: true, vcpu: 0)
        #expect(model == idle)
        pend(&model, 33, priority: 0x50)
        _ = model.acknowledge(group1: true, vcpu: 0)
        model.endOfInterrupt(40, group1: true, vcpu: 0)
        #expect(model.runningPriority(vcpu: 0) == 0xFF)
        #expect(model.interrupt(33, vcpu: 0).active)
    }

    @Test("Group 0 uses AP0R and EOIR0; a Group 0 interrupt preempts a Group 1 one of lower priority")
    func groupZero() {
        var model = ready()
        pend(&model, 33, priority: 0x50)
        _ = model.acknowledge(group1: true, vcpu: 0)
        pend(&model, 34, priority: 0x20, group1: false)
        #expect(model.hppir(group1: false, vcpu: 0) == 34)
        #expect(model.acknowledge(group1: false, vcpu: 0) == 34)
        #expect(model.redistributors[0].cpuInterface.ap0r[0] == 1 << 4)
        #expect(model.runningPriority(vcpu: 0) == 0x20)
        model.endOfInterrupt(34, group1: false, vcpu: 0)
        #expect(!model.interrupt(34, vcpu: 0).active)
        #expect(model.runningPriority(vcpu: 0) == 0x50)
    }

    @Test("an EOI through the other group's register drops the priority but does not deactivate")
    func eoiWrongGroup() {
        var model = ready()
        pend(&model, 33, priority: 0x50)
        _ = model.acknowledge(group1: true, vcpu: 0)
        model.endOfInterrupt(33, group1: false, vcpu: 0)
        #expect(model.runningPriority(vcpu: 0) == 0xFF)
        #expect(model.interrupt(33, vcpu: 0).active)
    }
}
