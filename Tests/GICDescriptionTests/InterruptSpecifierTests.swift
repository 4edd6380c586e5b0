import DeviceTree
import GICDescription
import GICVocabulary
import Testing

/// Interrupt specifiers and the timer node: the DT number is INTID − 16 (PPI) or INTID − 32
/// (SPI), the flags level-high, a CPU mask only on a GICv2
/// (GICDescription.docc/GICBinding.md, "Interrupt specifiers", "The timer").
@Suite("Interrupt specifiers and the timer node")
struct InterruptSpecifierTests {
    @Test("the cells of a PPI and an SPI, and the INTID the guest's driver derives from them")
    func cells() throws {
        let ppi = GICInterruptSpecifier(.virtualTimer, .levelHigh)
        #expect(ppi.cells == [1, 11, 4])
        #expect(ppi.intid == 27)
        let spi = GICInterruptSpecifier(try SPI(intid: 40), .edgeRising)
        #expect(spi.cells == [0, 8, 1])
        #expect(spi.intid == 40)
        #expect(GICInterruptSpecifier(.physicalTimer, .levelHigh, cpuMask: 0x0F).cells == [1, 14, 0xF04])
    }

    @Test("KVM's timer and maintenance PPIs: INTIDs 29, 30, 27, 26, 28 and 25")
    func kvmDefaults() {
        let timer = ArchTimerPPIs.kvm
        #expect([timer.securePhysical, timer.physical, timer.virtual, timer.hypervisorPhysical, timer.hypervisorVirtual].map(\.intid)
            == [29, 30, 27, 26, 28])
        #expect(PPI.maintenance.intid == 25)
        #expect(timer.listed(guestHasEL2: false).map(\.index) == [13, 14, 11, 10])
        #expect(timer.listed(guestHasEL2: true).map(\.index) == [13, 14, 11, 10, 12])
    }

    @Test("timer on a GICv3: arm,armv8-timer, sec-phys/phys/virt/hyp-phys level-high without a CPU mask, always-on")
    func timerV3() throws {
        let gic = try GuestGIC(Layouts.legacy, vcpuCount: 4)
        #expect(gic.timer() == DeviceTreeNode(
            "timer",
            properties: [
                .string("compatible", "arm,armv8-timer"),
                .cells("interrupts", [1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4]),
                .flag("always-on"),
            ]))
    }

    @Test("timer for a guest with EL2: the EL2 virtual timer (PPI 12) as a fifth entry")
    func timerEL2() throws {
        let gic = try GuestGIC(Layouts.legacy, vcpuCount: 2, el2: GuestEL2())
        #expect(gic.timer()[property: "interrupts"] == .cells([1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4, 1, 12, 4]))
    }

    @Test("timer on a GICv2: each flags cell carries one CPU-mask bit per vCPU", arguments: [(1, 0x104), (4, 0xF04), (8, 0xFF04)] as [(Int, UInt32)])
    func timerV2(vcpus: Int, flags: UInt32) throws {
        let gic = try GuestGIC(Layouts.v2, vcpuCount: vcpus)
        #expect(gic.timer()[property: "interrupts"] == .cells([1, 13, flags, 1, 14, flags, 1, 11, flags, 1, 10, flags]))
    }

    @Test("a VMM that moved its timers describes its own PPIs")
    func movedTimers() throws {
        var ppis = ArchTimerPPIs.kvm
        ppis.virtual = try PPI(intid: 20)
        let gic = try GuestGIC(Layouts.legacy, vcpuCount: 1)
        #expect(gic.timer(ppis)[property: "interrupts"]?.cells?[6..<9] == [1, 4, 4])
    }

    @Test("a device's interrupt through the GIC: SPIs never carry a CPU mask, GICv2 PPIs do")
    func deviceInterrupts() throws {
        let v2 = try GuestGIC(Layouts.v2, vcpuCount: 2)
        #expect(v2.interrupt(try SPI(intid: 33), .levelHigh).cells == [0, 1, 4])
        #expect(v2.interrupt(try PPI(intid: 23), .levelHigh).cells == [1, 7, 0x304])
        let v3 = try GuestGIC(Layouts.legacy, vcpuCount: 2)
        #expect(v3.interrupt(try PPI(intid: 23), .levelHigh).cells == [1, 7, 4])
    }
}
