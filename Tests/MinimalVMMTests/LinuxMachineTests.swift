import CKVM
import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

@testable import MinimalVMM

/// The whole VMM on the simulated kernel, whose `KVM_RUN` stands for an idle guest a signal
/// interrupts: boot (files, devicetree, vCPU entry, vgic, threads), stopping every vCPU thread,
/// and a migration into a fresh VM with the threads running on (MinimalVMM.docc/VCPUThreads.md,
/// MinimalVMM.docc/Migration.md).
@Suite("Linux machine on the simulated kernel", .serialized)
struct LinuxMachineTests {
    static func kernel() -> SimulatedKernel {
        let kernel = SimulatedKernel(host: .qemuMax, kernel: .debian6_12)
        kernel.idleRunMicroseconds = 200
        return kernel
    }

    @Test("boot: image, initramfs and devicetree where the layout says; vCPU 0 at the image with X0 the devicetree; the rest powered off")
    func boot() throws {
        let kernel = Self.kernel()
        let files = try Fixtures.payload()
        let kvm = try KVM.open(interface: .simulated(kernel))
        var machine = try LinuxMachine.boot(on: kvm, configuration: Fixtures.configuration, kernelImage: files.kernel, initramfs: files.initrd)
        let layout = machine.layout
        #expect(layout.kernel == .init(address: 0x4000_0000, size: 4 << 20))
        #expect(layout.initrd == .init(address: 0x4040_0000, size: 6 << 10))
        #expect(layout.deviceTree.address == 0x40E0_0000)
        let (entry, x0, x1, states) = try machine.whilePaused { vcpus, _ in
            let registers = vcpus.withVCPU(id: 0) { vcpu in
                ((try? vcpu.get(.pc)) ?? 0, (try? vcpu.get(OneRegister.x(0)!)) ?? 0, (try? vcpu.get(OneRegister.x(1)!)) ?? 1)
            } ?? (0, 0, 1)
            let states = vcpus.identities.map { identity in
                (vcpus.withVCPU(id: identity.id) { vcpu in try? vcpu.mpState() } ?? nil) ?? .other(99)
            }
            return (registers.0, registers.1, registers.2, states)
        }
        #expect(entry == 0x4000_0000)
        #expect(x0 == 0x40E0_0000)
        #expect(x1 == 0)
        #expect(states == [.runnable, .stopped])
        let stored = (machine.memory.byte(at: 56), machine.memory.byte(at: 0x40_0000), machine.memory.byte(at: 0xE0_0000))
        #expect(stored.0 == 0x41, "the image's magic at byte 56")
        #expect(stored.1 == 0xC1, "the initramfs")
        #expect(stored.2 == 0xD0, "the devicetree's magic (0xd00dfeed, big-endian)")
        ckvm_sleep_us(20_000)
        machine.stop()
        #expect(machine.vcpuStatistics.allSatisfy { $0.failure == nil }, "\(machine.vcpuStatistics)")
        #expect(machine.vcpuStatistics.allSatisfy { $0.runs > 0 }, "\(machine.vcpuStatistics)")
        #expect(machine.endedThreads == 2)
    }

    @Test("pause stops every thread outside KVM_RUN, again and again; resume lets them run on")
    func pauseResume() throws {
        let kernel = Self.kernel()
        let files = try Fixtures.payload()
        let kvm = try KVM.open(interface: .simulated(kernel))
        var machine = try LinuxMachine.boot(on: kvm, configuration: Fixtures.configuration, kernelImage: files.kernel, initramfs: files.initrd)
        for _ in 0..<5 {
            _ = try machine.pause(timeoutMilliseconds: 5000)
            let runs = machine.vcpuStatistics.map(\.runs)
            ckvm_sleep_us(5_000)
            #expect(machine.vcpuStatistics.map(\.runs) == runs, "no run while paused")
            machine.resume()
            ckvm_sleep_us(5_000)
        }
        machine.stop()
        #expect(machine.vcpuStatistics.allSatisfy { $0.failure == nil })
    }

    @Test(
        "migrate: the threads go on with the target's vCPUs; the source VM is closed; the target has the source's state",
        arguments: [SPILevelLine.Wiring.irqfd, .irqLine])
    func migrate(wiring: SPILevelLine.Wiring) throws {
        let kernel = Self.kernel()
        let files = try Fixtures.payload()
        let kvm = try KVM.open(interface: .simulated(kernel))
        var configuration = Fixtures.configuration
        configuration.uartWiring = wiring
        var machine = try LinuxMachine.boot(on: kvm, configuration: configuration, kernelImage: files.kernel, initramfs: files.initrd)
        #expect(machine.console.wiring == wiring)
        machine.send([0x61])
        var sentDuringPause = false
        let report = try machine.migrate(on: kvm, duringPause: { console in
            console.send([0x62])
            sentDuringPause = true
        })
        #expect(sentDuringPause)
        #expect(machine.migrations == 1)
        #expect(report.refusals.isEmpty)
        #expect(report.gicReadsBack == true)
        #expect(report.differences.isEmpty)
        #expect(report.registersPerVCPU == SyscallSimulator.typicalRegisterList.count)
        #expect(report.memoryPages > 0)
        #expect(kernel.vmsInOrder.count == 2)
        let open = kernel.objects.filter { $0.value == .vm }.map { kernel.original(of: $0.key) }
        switch wiring {
        case .irqfd:
            #expect(open.count == 2, "the target's VM fd and the vgic's duplicate")
            #expect(kernel.calls(.irqfd).count == 2, "one irqfd with its resampler on each VM")
        case .irqLine:
            #expect(open.count == 3, "the target's VM fd, the vgic's and the console line's duplicates")
            #expect(kernel.calls(.irqfd).isEmpty)
        }
        #expect(machine.console.wiring == wiring, "the target's line is attached")
        #expect(Set(open).count == 1, "every fd of the source VM is closed")
        let runsBefore = machine.vcpuStatistics.map(\.runs)
        ckvm_sleep_us(10_000)
        let target = try machine.whilePaused { vcpus, _ in
            vcpus.withVCPU(id: 0) { vcpu in (try? vcpu.get(.pc)) ?? 0 } ?? 0
        }
        #expect(target == 0x4000_0000, "vCPU 0's PC came along")
        #expect(zip(machine.vcpuStatistics.map(\.runs), runsBefore).allSatisfy { $0 > $1 }, "the threads ran the target's vCPUs")
        #expect(machine.console.state.receiveFIFO.isEmpty && machine.console.state.line == [0x61, 0x62], "bytes wait: the UART is disabled")
        machine.stop()
    }

    @Test("a guest that never reports: wait gives up at its timeout, and stop ends the threads")
    func bootTimeout() throws {
        let kernel = Self.kernel()
        let files = try Fixtures.payload()
        let kvm = try KVM.open(interface: .simulated(kernel))
        var machine = try LinuxMachine.boot(on: kvm, configuration: Fixtures.configuration, kernelImage: files.kernel, initramfs: files.initrd)
        let start = ckvm_monotonic_ns()
        let ready = machine.wait(timeoutMilliseconds: 100) { $0.lastReport(with: "READY") != nil }
        let waited = (ckvm_monotonic_ns() - start) / 1_000_000
        #expect(!ready)
        #expect(waited >= 100 && waited < 2_000, "waited \(waited) ms")
        machine.stop()
        #expect(machine.endedThreads == 2)
    }

    @Test("a missing image or a file that is no arm64 Image: a boot error before any VM exists")
    func badFiles() throws {
        let kernel = Self.kernel()
        let files = try Fixtures.payload()
        let kvm = try KVM.open(interface: .simulated(kernel))
        #expect(throws: MachineError.self) {
            _ = try LinuxMachine.boot(on: kvm, configuration: Fixtures.configuration, kernelImage: "/nonexistent/Image", initramfs: files.initrd)
        }
        #expect(throws: MachineError.self) {
            _ = try LinuxMachine.boot(on: kvm, configuration: Fixtures.configuration, kernelImage: files.initrd, initramfs: files.initrd)
        }
        #expect(kernel.calls(.createVM).isEmpty)
    }
}
