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
