import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

@testable import MinimalVMM

/// The console between the vCPU threads and the kernel: guest accesses and host bytes through
/// the PL011, and the SPI brought to the UART's level with one `KVM_IRQ_LINE` per change
/// (MinimalVMM.docc/VCPUThreads.md, "The interrupt line").
@Suite("Serial console")
struct SerialConsoleTests {
    /// A VM with one vCPU and an initialised vgic-v3 (KVM_IRQ_LINE of an SPI needs one).
    static func withVM(_ kvm: borrowing KVM, _ body: (borrowing VirtualMachine) throws -> Void) throws {
        let vm = try kvm.createVM()
        let vcpu = try vm.createVCPU(id: 0)
        try vcpu.initialize(VCPUConfiguration(target: 5))
        let gic = try VGIC.create(on: vm, configuration: LinuxMachineConfiguration().gic, vcpus: [try VCPUIdentity(reading: vcpu)])
        try body(vm)
        _ = gic.version
    }

    /// The levels `KVM_IRQ_LINE` carried for SPI 33 since `from`.
    static func lineLevels(_ kernel: SimulatedKernel, from: Int = 0) -> [UInt64] {
        kernel.calls.dropFirst(from).filter {
            $0.attempt.request == .irqLine && $0.attempt.argument == UInt64(IRQLineWord.spi(LinuxMachineConfiguration.defaultUARTSPI).rawValue)
        }.compactMap(\.value)
    }

    @Test("received bytes raise the SPI once; the guest's reads that drain the FIFO lower it once; other accesses call nothing")
    func levels() throws {
        let kernel = SimulatedKernel(host: .qemuMax, kernel: .linux7)
        let kvm = try KVM.open(interface: .simulated(kernel))
        let console = SerialConsole()
        try Self.withVM(kvm) { vm in
            console.attach(try SPILevelLine(vm: vm, spi: LinuxMachineConfiguration.defaultUARTSPI), level: false)
        }
        _ = console.guestAccess(offset: PL011Register.lineControl, size: 2, isWrite: true, data: 0x70)
        _ = console.guestAccess(offset: PL011Register.control, size: 2, isWrite: true, data: 0x301)
        _ = console.guestAccess(offset: PL011Register.interruptMask, size: 2, isWrite: true, data: 0x50)
        #expect(Self.lineLevels(kernel).isEmpty)
        console.send(Array("hello".utf8))
        #expect(Self.lineLevels(kernel) == [1])
        var received: [UInt8] = []
        for _ in 0..<5 { received.append(UInt8(console.guestAccess(offset: 0, size: 2, isWrite: false, data: 0).value)) }
        #expect(received == Array("hello".utf8))
        #expect(Self.lineLevels(kernel) == [1, 0])
        #expect(console.lineCalls == 2)
        #expect(!console.lineLevel)
        _ = console.guestAccess(offset: 0, size: 2, isWrite: true, data: 0x21)
        #expect(console.transmitted() == [0x21])
        #expect(Self.lineLevels(kernel) == [1, 0], "transmitting with TXIM masked raises nothing")
    }

    @Test("detached, sends reach the UART but no kernel; attached again at the restored level, the line follows the UART")
    func detachAndAttach() throws {
        let kernel = SimulatedKernel(host: .qemuMax, kernel: .linux7)
        let kvm = try KVM.open(interface: .simulated(kernel))
        let console = SerialConsole()
        try Self.withVM(kvm) { source in
            console.attach(try SPILevelLine(vm: source, spi: LinuxMachineConfiguration.defaultUARTSPI), level: false)
        }
        for (offset, value) in [(PL011Register.lineControl, UInt64(0x70)), (PL011Register.control, 0x301), (PL011Register.interruptMask, 0x50)] {
            _ = console.guestAccess(offset: offset, size: 2, isWrite: true, data: value)
        }
        console.send([0x61])
        #expect(console.detach() == true)
        let before = kernel.calls.count
        console.send([0x62])
        #expect(Self.lineLevels(kernel, from: before).isEmpty, "no line while detached")
        try Self.withVM(kvm) { target in
            console.attach(try SPILevelLine(vm: target, spi: LinuxMachineConfiguration.defaultUARTSPI), level: true)
        }
        #expect(Self.lineLevels(kernel, from: before).isEmpty, "already at the UART's level: no call")
        #expect(console.state.receiveFIFO == [0x61, 0x62])
        _ = console.guestAccess(offset: 0, size: 2, isWrite: false, data: 0)
        _ = console.guestAccess(offset: 0, size: 2, isWrite: false, data: 0)
        #expect(Self.lineLevels(kernel, from: before) == [0])
    }

    @Test("irqfd: received bytes signal the trigger once; draining signals nothing; an acknowledgement with bytes waiting signals again, one without does not")
    func irqfdResampling() throws {
        let kernel = SimulatedKernel(host: .qemuMax, kernel: .linux7)
        let kvm = try KVM.open(interface: .simulated(kernel))
        let console = SerialConsole()
        let vm = try kvm.createVM()
        let vcpu = try vm.createVCPU(id: 0)
        try vcpu.initialize(VCPUConfiguration(target: 5))
        let identity = try VCPUIdentity(reading: vcpu)
        var gic = try VGIC.create(on: vm, configuration: LinuxMachineConfiguration().gic, vcpus: [identity])
        try gic.setDistributorRegister(.gicdICFGR, index: 2, to: 0)  // SPIs 32…47 level, as the guest's driver sets the UART's
        console.attach(try SPILevelLine(gic: &gic, spi: LinuxMachineConfiguration.defaultUARTSPI), level: false)
        #expect(console.wiring == .irqfd)
        let resample = try #require(console.resampleDescriptor)
        for (offset, value) in [(PL011Register.lineControl, UInt64(0x70)), (PL011Register.control, 0x301), (PL011Register.interruptMask, 0x50)] {
            _ = console.guestAccess(offset: offset, size: 2, isWrite: true, data: value)
        }
        #expect(console.lineCalls == 0)
        console.send([0x61])
        #expect(console.lineCalls == 1 && console.lineLevel)
        #expect(kernel.gicv3?.interrupt(33, vcpu: 0).line == true, "the eventfd write raised SPI 33")
        _ = console.guestAccess(offset: 0, size: 2, isWrite: false, data: 0)
        #expect(console.lineCalls == 1 && console.lineLevel, "drained: the line stays up until the guest acknowledges it")
        console.send([0x62])
        #expect(console.lineCalls == 1, "asserted and not acknowledged: no second signal")
        kernel.setEventFDCounter(resample, 1)  // the guest's EOI: the kernel lowers the line and signals
        console.serviceAcknowledgements()
        #expect(console.acknowledgementsTaken == 1)
        #expect(console.lineCalls == 2 && console.lineLevel, "0x62 still waits: raised again")
        _ = console.guestAccess(offset: 0, size: 2, isWrite: false, data: 0)
        kernel.setEventFDCounter(resample, 1)
        console.serviceAcknowledgements()
        #expect(console.acknowledgementsTaken == 2)
        #expect(console.lineCalls == 2 && !console.lineLevel, "nothing waits: not raised")
        console.serviceAcknowledgements()
        #expect(console.acknowledgementsTaken == 2, "no count, no acknowledgement")
        #expect(console.lineError == nil)
    }

    @Test("an armed pause fires at the guest's first read of received data, once")
    func pauseOnReceiveRead() {
        let console = SerialConsole()
        _ = console.guestAccess(offset: PL011Register.control, size: 2, isWrite: true, data: 0x301)
        console.armPauseOnReceiveRead()
        #expect(console.guestAccess(offset: 0, size: 2, isWrite: false, data: 0).pause == false, "an empty FIFO is no receive")
        #expect(console.guestAccess(offset: PL011Register.flags, size: 2, isWrite: false, data: 0).pause == false)
        console.send([1, 2])
        #expect(console.guestAccess(offset: 0, size: 2, isWrite: false, data: 0).pause == true)
        #expect(console.receiveReadHappened)
        #expect(console.guestAccess(offset: 0, size: 2, isWrite: false, data: 0).pause == false)
    }
}
