import GICVocabulary
import Testing

@testable import KVM

@Suite("KVM_IRQ_LINE")
struct IRQLineTests {
    @Test("the word and the level reach the kernel unchanged")
    func wordAndLevel() throws {
        let sim = SyscallSimulator()
        let vm = try KVM.open(interface: .simulated(sim)).createVM()
        let word = try IRQLineWord.spi(SPI(intid: 40))
        try vm.setIRQLine(word, level: true)
        try vm.setIRQLine(word, level: false)
        let lines = sim.calls(.irqLine)
        #expect(lines.map(\.attempt.argument) == [0x0100_0028, 0x0100_0028])
        #expect(lines.map(\.value) == [1, 0])
    }

    @Test("a vCPU index above 255 is refused before the ioctl when the kernel lacks layout 2")
    func layout2Refusal() throws {
        let sim = SyscallSimulator(capabilities: [.armVMIPASize: 48, .armPSCI02: 1])
        let vm = try KVM.open(interface: .simulated(sim)).createVM()
        let layout2 = vm.supportsIRQLineLayout2
        #expect(!layout2)
        let word = try IRQLineWord.ppi(PPI(intid: 27), vcpu: VCPUIndex(300))
        #expect(throws: KVMError.invalidArgument(Attempt(.irqLine, argument: UInt64(word.rawValue)), reason: .irqLineNeedsLayout2(vcpuIndex: 300))) {
            try vm.setIRQLine(word, level: true)
        }
        #expect(sim.calls(.irqLine).isEmpty)
    }

    @Test("a simulator that records no ioctls still answers them and still records open and close")
    func notRecordingIoctls() throws {
        let sim = SyscallSimulator(recordsIoctls: false)
        do {
            let vm = try KVM.open(interface: .simulated(sim)).createVM()
            #expect(vm.ipaBits == 40)
            try vm.setIRQLine(try IRQLineWord.spi(SPI(intid: 40)), level: true)
        }
        #expect(sim.calls.map(\.attempt.request) == [.open, .close, .close])
        #expect(sim.objects.isEmpty)
    }
}
