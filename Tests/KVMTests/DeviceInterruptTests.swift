import CKVM
import GICVocabulary
import Testing

@testable import KVM

/// The KVM layer's device-interrupt calls on the recording simulator: the exact structures
/// `KVM_IRQFD`, `KVM_SET_GSI_ROUTING` and `KVM_SIGNAL_MSI` carry, and the routing rules refused
/// before any ioctl (KVM.docc/InterruptRouting.md).
@Suite("irqfd, GSI routing and MSIs")
struct DeviceInterruptTests {
    /// A recording simulator and a VM on it.
    struct Machine: ~Copyable {
        let sim = SyscallSimulator()
        let vm: VirtualMachine

        init() throws {
            vm = try KVM.open(interface: .simulated(sim)).createVM()
        }
    }

    @Test("an eventfd is created non-blocking and close-on-exec, counts signals, and reads 0 when empty")
    func eventfd() throws {
        let machine = try Machine()
        let sim = machine.sim
        let fd = try machine.vm.createEventFD()
        try fd.signal()
        try fd.signal(2)
        #expect(try fd.consume() == 3)
        #expect(try fd.consume() == 0)
        let created = sim.calls(.eventfd)
        #expect(created.map(\.attempt.argument) == [UInt64(UInt32(bitPattern: CKVM_EFD_CLOEXEC | CKVM_EFD_NONBLOCK))])
        #expect(sim.calls(.eventfdWrite).map(\.value) == [1, 2])
        #expect(sim.calls(.eventfdRead).count == 2)
    }

    @Test("a semaphore eventfd gives its count back one at a time")
    func semaphore() throws {
        let machine = try Machine()
        let fd = try machine.vm.createEventFD(semaphore: true)
        try fd.signal(2)
        #expect(try fd.consume() == 1)
        #expect(try fd.consume() == 1)
        #expect(try fd.consume() == 0)
    }

    @Test("KVM_IRQFD carries the eventfd, the GSI, the flags and the resample eventfd")
    func irqfdStructures() throws {
        let machine = try Machine()
        let sim = machine.sim
        let trigger = try machine.vm.createEventFD()
        let resample = try machine.vm.createEventFD()
        let gsi = try GSI(8)
        try machine.vm.assignIRQFD(trigger, gsi: gsi)
        try machine.vm.deassignIRQFD(trigger, gsi: gsi)
        try machine.vm.assignIRQFD(trigger, gsi: gsi, resample: resample)
        let triggerFD = trigger.withRawDescriptor { $0 }
        let resampleFD = resample.withRawDescriptor { $0 }
        let sent = sim.calls(.irqfd)
        #expect(sent.map(\.payload) == [
            .irqfd(IRQFDRequest(fd: triggerFD, gsi: 8)),
            .irqfd(IRQFDRequest(fd: triggerFD, gsi: 8, flags: 1)),
            .irqfd(IRQFDRequest(fd: triggerFD, gsi: 8, flags: 2, resampleFD: resampleFD)),
        ])
        #expect(sent.allSatisfy { sim.objects[$0.fd] == .vm })
        #expect(sent.map(\.attempt.argument) == [8, 8, 8])
    }

    @Test("GSIs and pins are built only within the kernel's limits")
    func limits() throws {
        #expect(try GSI(4095).rawValue == 4095)
        #expect(throws: RoutingProblem.gsiOutOfRange(4096, limit: 4096)) { try GSI(4096) }
        #expect(try IRQChipPin(987).spi.intid == 1019)
        #expect(throws: RoutingProblem.pinOutOfRange(988, limit: 988)) { try IRQChipPin(988) }
        #expect(GSI(defaultFor: try SPI(intid: 40)).rawValue == 8)
    }

    @Test("a table is sent as struct kvm_irq_routing, entry by entry, in order")
    func routingEncoding() throws {
        let machine = try Machine()
        let sim = machine.sim
        let message = MSIMessage(address: 0x0808_0000 + 0x1_0040, data: 3, deviceID: 17)
        let table = GSIRoutingTable([
            .spi(try SPI(intid: 40), gsi: try GSI(0)),
            .msi(gsi: try GSI(1), message),
            .msi(gsi: try GSI(2), MSIMessage(address: 0x1_2345_6780, data: 9)),
        ])
        try machine.vm.setGSIRouting(table)
        let sent = try #require(sim.calls(.setGSIRouting).first)
        #expect(sent.payload == .routing(table, flags: 0))
        #expect(sent.attempt.argument == 3)
        #expect(table.routes.map(\.type) == [1, 2, 2])
        #expect(table.routes.map(\.flags) == [0, 1, 0])
    }

    /// Tables the kernel refuses with EINVAL, and the problem `firstProblem` names.
    static let refusedTables: [(String, [GSIRoute], RoutingProblem)] = [
        ("pin 988", [GSIRoute(gsi: 0, kind: .irqchip(chip: 0, pin: 988))], .pinOutOfRange(988, limit: 988)),
        ("GSI 4096", [GSIRoute(gsi: 4096, kind: .irqchip(chip: 0, pin: 0))], .gsiOutOfRange(4096, limit: 4096)),
        ("irqchip 1", [GSIRoute(gsi: 0, kind: .irqchip(chip: 1, pin: 0))], .irqchipOutOfRange(1, count: 1)),
        ("flags on an irqchip entry", [GSIRoute(gsi: 3, kind: .irqchip(chip: 0, pin: 0), extraFlags: 1)], .flags(gsi: 3, 1)),
        (
            "an MSI flag beyond VALID_DEVID",
            [GSIRoute(gsi: 3, kind: .msi(MSIMessage(address: 0, data: 0, deviceID: 1)), extraFlags: 2)], .flags(gsi: 3, 3)
        ),
        ("an unknown entry type", [GSIRoute(gsi: 5, kind: .other(type: 7))], .entryType(gsi: 5, 7)),
        (
            "one GSI to two pins",
            [GSIRoute(gsi: 2, kind: .irqchip(chip: 0, pin: 1)), GSIRoute(gsi: 2, kind: .irqchip(chip: 0, pin: 9))],
            .duplicateGSI(2, first: 0, second: 1)
        ),
        (
            "one GSI to a pin and an MSI",
            [GSIRoute(gsi: 2, kind: .irqchip(chip: 0, pin: 1)), GSIRoute(gsi: 2, kind: .msi(MSIMessage(address: 0, data: 0)))],
            .duplicateGSI(2, first: 0, second: 1)
        ),
        (
            "4097 entries",
            (0..<UInt32(4097)).map { GSIRoute(gsi: $0 % 4096, kind: .irqchip(chip: 0, pin: 0)) },
            .tooManyRoutes(count: 4097, limit: 4096)
        ),
    ]

    @Test("a table the kernel would refuse is refused before the ioctl, naming the entry", arguments: 0..<refusedTables.count)
    func routingRefusals(index: Int) throws {
        let (label, routes, problem) = Self.refusedTables[index]
        let machine = try Machine()
        let sim = machine.sim
        let table = GSIRoutingTable(routes)
        #expect(table.firstProblem() == problem, "\(label)")
        let attempt = Attempt(.setGSIRouting, argument: UInt64(routes.count))
        #expect(throws: KVMError.invalidArgument(attempt, reason: .routing(problem)), "\(label)") { try machine.vm.setGSIRouting(table) }
        #expect(sim.calls(.setGSIRouting).isEmpty)
        // Unchecked, the same table reaches the kernel, which is then the judge.
        try machine.vm.setGSIRouting(unchecked: table)
        #expect(sim.calls(.setGSIRouting).count == 1)
    }

    @Test("tables the kernel accepts: empty, 4096 entries, a pin routed from two GSIs, an MSI with a device id")
    func acceptedTables() throws {
        #expect(GSIRoutingTable().firstProblem() == nil)
        #expect(GSIRoutingTable((0..<UInt32(4096)).map { GSIRoute(gsi: $0, kind: .irqchip(chip: 0, pin: $0 % 988)) }).firstProblem() == nil)
        let shared = GSIRoutingTable([GSIRoute(gsi: 3, kind: .irqchip(chip: 0, pin: 10)), GSIRoute(gsi: 10, kind: .irqchip(chip: 0, pin: 10))])
        #expect(shared.firstProblem() == nil)
        // The guest's EOI of SPI 42 acknowledges the last GSI routed to pin 10.
        #expect(shared.acknowledgedGSI(forPin: 10) == 10)
        #expect(GSIRoutingTable([.msi(gsi: try GSI(7), MSIMessage(address: 0x8090040, data: 1, deviceID: 2))]).firstProblem() == nil)
        #expect(GSIRoutingTable().firstProblem(tableFlags: 1) == .tableFlags(1))
    }

    @Test("the kernel's default table routes GSI n to pin n for every SPI, and replace keeps one route per GSI")
    func defaultTable() throws {
        var table = GSIRoutingTable.kernelDefault(spiCount: 96)
        #expect(table.routes.count == 96)
        #expect(table.routes.allSatisfy { $0.pin == $0.gsi })
        table.replace(.spi(try SPI(intid: 100), gsi: try GSI(5)))
        #expect(table.routes.filter { $0.gsi == 5 }.map(\.pin) == [68])
        #expect(table.firstProblem() == nil)
        #expect(GSIRoutingTable.kernelDefault(spiCount: 2000).routes.count == 988)
    }

    @Test("KVM_SIGNAL_MSI carries address, data, VALID_DEVID and the device id; its answer is typed")
    func signalMSI() throws {
        let machine = try Machine()
        let sim = machine.sim
        let message = MSIMessage(address: 0x0808_0000 + 0x1_0040, data: 5, deviceID: 3)
        #expect(try machine.vm.signalMSI(message) == .delivered(1))
        _ = try machine.vm.signalMSI(MSIMessage(address: 0x10, data: 1), extraFlags: 4)
        #expect(sim.calls(.signalMSI).map(\.payload) == [
            .msi(message, extraFlags: 0), .msi(MSIMessage(address: 0x10, data: 1), extraFlags: 4),
        ])
        sim.failures = [(matches: .signalMSI, attribute: nil, errno: .ENODEV)]
        #expect(throws: KVMError.kernel(.ENODEV, Attempt(.signalMSI, argument: 5))) { _ = try machine.vm.signalMSI(message) }
    }

    @Test("a kernel answering 0 to KVM_SIGNAL_MSI has blocked the message")
    func blockedMSI() throws {
        final class Blocking: SyscallSimulator, @unchecked Sendable {
            override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
                attempt.request == .signalMSI ? 0 : super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
            }
        }
        let vm = try KVM.open(interface: .simulated(Blocking())).createVM()
        #expect(try vm.signalMSI(MSIMessage(address: 0, data: 0, deviceID: 0)) == .blocked)
    }

    @Test("the routing capabilities are asked of the VM, MSI_DEVID included")
    func capabilities() throws {
        let sim = SyscallSimulator()
        sim.capabilities[.irqfd] = 1
        sim.capabilities[.irqfdResample] = 1
        sim.capabilities[.irqRouting] = 4096
        sim.capabilities[.signalMSI] = 1
        let vm = try KVM.open(interface: .simulated(sim)).createVM()
        sim.clearCalls()
        let support = try vm.interruptRoutingSupport()
        #expect(support == InterruptRoutingSupport(
            irqfd: true, irqfdResample: true, maximumRoutes: 4096, signalMSI: true, msiRequiresDeviceID: false))
        let asked = sim.calls(.checkExtension)
        #expect(asked.count == 5)
        #expect(asked.allSatisfy { sim.objects[$0.fd] == .vm })
        #expect(Set(asked.compactMap(\.attempt.argument)) == [32, 82, 25, 77, 131])
    }
}
