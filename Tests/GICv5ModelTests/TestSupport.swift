import GICVocabulary
import Testing
@testable import GICv5Model


/// PPI `n`, for numbers the test knows are in range.
func ppi(_ n: UInt32) -> GICv5PPI {
    try! GICv5PPI(id: n)
}

/// The INTID of SPI `n`.
func spi(_ n: UInt32) -> GICv5InterruptID {
    try! GICv5InterruptID.spi(id: n)
}

/// The INTID of LPI `n`.
func lpi(_ n: UInt32) -> GICv5InterruptID {
    try! GICv5InterruptID.lpi(id: n)
}

/// A CPU interface as the vectors of GICv5Model.docc/GICv5TestVectors.md assume it: CR0.EN = 1, PCR as given.
func readyCPU(priorityMask: UInt8 = 16, iaffid: UInt16 = 0) -> GICv5CPUInterface {
    var cpu = GICv5CPUInterface(iaffid: iaffid)
    cpu.enabled = true
    cpu.priorityMask = priorityMask
    return cpu
}

/// Makes `ppi` enabled with `priority` on `cpu`.
func configure(_ cpu: inout GICv5CPUInterface, _ ppi: GICv5PPI, priority: UInt8) {
    cpu.ppiEnabled[ppi] = true
    cpu.ppiPriorities[ppi] = priority
}

/// The mask of one PPI in its bank's register.
func bit(_ ppi: GICv5PPI) -> UInt64 { 1 << UInt64(ppi.id % 64) }

/// A one-vCPU VM that has run once, with the guest's setup of the KVM selftest
/// (`gicv5_cpu_enable_interrupts`): every PPI priority 16, PCR 16, CR0.EN 1, and the given PPIs
/// enabled. Returns the VM stopped after that first run.
func vmAfterGuestSetup(enabling enabled: [GICv5PPI] = [.swPPI], priorityMask: UInt8 = 16,
                       configuration: GICv5VMConfiguration = GICv5VMConfiguration()) throws -> GICv5VM {
    var vm = try GICv5VM(configuration)
    var hw = try vm.enterGuest(vcpu: 0)
    for n in 0..<16 { hw.writePriority(register: n, 0x1010_1010_1010_1010) }
    hw.writePriorityMask(UInt64(priorityMask))
    hw.writeControl(1)
    hw.writeEnable(.bank0, PPISet(enabled).bank0)
    try vm.exitGuest(vcpu: 0, hardwareState: hw)
    return vm
}
