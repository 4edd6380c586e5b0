import GICModel
import GICVocabulary
import KVM
import VGIC

/// irqfds and GSI routing on the kernel (KVM.docc/InterruptRouting.md, Conformance.docc/DeviceInterrupts.md):
/// the routing tables the kernel accepts and refuses, exactly as `GSIRoutingTable.firstProblem`
/// says (each refusal both as the typed error before the ioctl and, sent unchecked, as the
/// kernel's EINVAL); `KVM_IRQFD`'s errnos; and what a write to a bound eventfd does to the SPI.
/// The guest's side of irqfds is `irqfd.guest.*` (GuestIRQFDScenarios.swift).
extension ScenarioCatalog {
    public static var irqfd: [Scenario] {
        [
            Scenario("irqfd.capabilities") { context in IRQFDScenarios.capabilities(context) },
            Scenario("irqfd.routing.accepted") { context in IRQFDScenarios.routingAccepted(context) },
            Scenario("irqfd.routing.refused") { context in IRQFDScenarios.routingRefused(context) },
            Scenario("irqfd.routing.replaced_by_init") { context in IRQFDScenarios.routingReplacedByInit(context) },
            Scenario("irqfd.assign.errors") { context in IRQFDScenarios.assignErrors(context) },
            Scenario("irqfd.assign.second_vm") { context in IRQFDScenarios.secondVM(context) },
            Scenario("irqfd.inject.edge") { context in IRQFDScenarios.injectEdge(context) },
            Scenario("irqfd.inject.level") { context in IRQFDScenarios.injectLevel(context) },
            Scenario("irqfd.inject.counted_before_assign") { context in IRQFDScenarios.countedBeforeAssign(context) },
            Scenario("irqfd.inject.route_change") { context in IRQFDScenarios.routeChange(context) },
        ] + GuestCatalog.irqfd.map { $0.scenario }
    }
}

enum IRQFDScenarios {
    /// KVM_CAP_IRQFD, _IRQFD_RESAMPLE, _IRQ_ROUTING (KVM_MAX_IRQ_ROUTES) and _SIGNAL_MSI, on
    /// /dev/kvm and on a VM.
    static func capabilities(_ context: ScenarioContext) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return error.outcome() }
        var checks = VGICInitChecks()
        let expected: [(Capability, Int)] = [(.irqfd, 1), (.irqfdResample, 1), (.irqRouting, Int(GSI.limit)), (.signalMSI, 1)]
        for (capability, value) in expected {
            checks.expect("/dev/kvm \(capability)", try? kvm.checkExtension(capability), value)
        }
        do throws(KVMError) {
            let vm = try kvm.createVM()
            let support = try vm.interruptRoutingSupport()
            checks.expect(
                "VM", support,
                InterruptRoutingSupport(irqfd: true, irqfdResample: true, maximumRoutes: 4096, signalMSI: true, msiRequiresDeviceID: false))
        } catch {
            return ScenarioFailure.kernel("VM", error).outcome()
        }
        return checks.outcome
    }

    /// Tables the kernel takes: empty, the full 4096 GSIs, the last pin, a pin beyond NR_IRQS, two
    /// GSIs on one pin, MSI entries with and without a device id; `firstProblem` agrees.
    static func routingAccepted(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, interruptCount: 64) { machine, _, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let tables: [(String, GSIRoutingTable)] = [
                ("empty", GSIRoutingTable()),
                ("4096 GSIs", GSIRoutingTable((0..<GSI.limit).map { GSIRoute(gsi: $0, kind: .irqchip(chip: 0, pin: $0 % IRQChipPin.limit)) })),
                ("pin 987", GSIRoutingTable([GSIRoute(gsi: 0, kind: .irqchip(chip: 0, pin: 987))])),
                ("pin 100 beyond NR_IRQS 64", GSIRoutingTable([GSIRoute(gsi: 1, kind: .irqchip(chip: 0, pin: 100))])),
                (
                    "GSIs 3 and 10 on pin 10",
                    GSIRoutingTable([GSIRoute(gsi: 3, kind: .irqchip(chip: 0, pin: 10)), GSIRoute(gsi: 10, kind: .irqchip(chip: 0, pin: 10))])
                ),
                (
                    "MSI with and without a device id",
                    GSIRoutingTable([
                        GSIRoute(gsi: 20, kind: .msi(MSIMessage(address: 0x0201_0040, data: 1, deviceID: 2))),
                        GSIRoute(gsi: 21, kind: .msi(MSIMessage(address: 0x0201_0040, data: 1))),
                    ])
                ),
            ]
            for (label, table) in tables {
                checks.check("\(label): firstProblem says accepted", table.firstProblem() == nil)
                checks.kernelAccepts(label) { () throws(KVMError) in try machine.vm.setGSIRouting(table) }
            }
            return checks.outcome
        }
    }

    /// Every rule `firstProblem` checks, broken once: refused before the ioctl with the problem
    /// named, and, sent unchecked, refused by the kernel with EINVAL.
    static func routingRefused(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context) { machine, _, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let msi = MSIMessage(address: 0x0201_0040, data: 0, deviceID: 1)
            let cases: [(String, [GSIRoute], UInt32, RoutingProblem)] = [
                ("pin 988", [GSIRoute(gsi: 0, kind: .irqchip(chip: 0, pin: 988))], 0, .pinOutOfRange(988, limit: 988)),
                ("GSI 4096", [GSIRoute(gsi: 4096, kind: .irqchip(chip: 0, pin: 0))], 0, .gsiOutOfRange(4096, limit: 4096)),
                ("irqchip 1", [GSIRoute(gsi: 0, kind: .irqchip(chip: 1, pin: 0))], 0, .irqchipOutOfRange(1, count: 1)),
                ("flags on an irqchip entry", [GSIRoute(gsi: 3, kind: .irqchip(chip: 0, pin: 0), extraFlags: 1)], 0, .flags(gsi: 3, 1)),
                ("MSI flag 2", [GSIRoute(gsi: 3, kind: .msi(msi), extraFlags: 2)], 0, .flags(gsi: 3, 3)),
                ("entry type 3", [GSIRoute(gsi: 5, kind: .other(type: 3))], 0, .entryType(gsi: 5, 3)),
                (
                    "GSI 2 on two pins",
                    [GSIRoute(gsi: 2, kind: .irqchip(chip: 0, pin: 1)), GSIRoute(gsi: 2, kind: .irqchip(chip: 0, pin: 9))], 0,
                    .duplicateGSI(2, first: 0, second: 1)
                ),
                (
                    "GSI 2 on a pin and an MSI",
                    [GSIRoute(gsi: 2, kind: .irqchip(chip: 0, pin: 1)), GSIRoute(gsi: 2, kind: .msi(msi))], 0,
                    .duplicateGSI(2, first: 0, second: 1)
                ),
                (
                    "4097 entries", (0...GSI.limit).map { GSIRoute(gsi: $0 % GSI.limit, kind: .irqchip(chip: 0, pin: 0)) }, 0,
                    .tooManyRoutes(count: 4097, limit: 4096)
                ),
                ("header flags 1", [], 1, .tableFlags(1)),
            ]
            for (label, routes, flags, problem) in cases {
                let table = GSIRoutingTable(routes)
                checks.check("\(label): firstProblem names \(problem)", table.firstProblem(tableFlags: flags) == problem)
                if flags == 0 {
                    checks.refused("\(label): typed", { error in
                        if case .kernel(.invalidArgument(_, .routing(let got))) = error { return got == problem }
                        return false
                    }) { () throws(VGICError) in try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.setGSIRouting(table) } }
                }
                checks.kernelRefuses("\(label): unchecked", .EINVAL) { () throws(KVMError) in
                    try machine.vm.setGSIRouting(unchecked: table, flags: flags)
                }
            }
            return checks.outcome
        }
    }

    /// A table set before CTRL_INIT is accepted and then replaced: CTRL_INIT installs the default
    /// table (`kvm_vgic_setup_default_irq_routing`), so an irqfd on GSI 0 raises SPI 32, not the
    /// SPI the earlier table named.
    static func routingReplacedByInit(_ context: ScenarioContext) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            var identities: [VCPUIdentity] = []
            for id in 0..<UInt32(2) { identities.append(try machine.addVCPU(id: id)) }
            var vgic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
            try vgic.setInterruptCount(128)
            try vgic.setDistributorBase(LabLayout.distributor)
            try vgic.setRedistributorBase(LabLayout.redistributors)
            let early = GSIRoutingTable([GSIRoute(gsi: 0, kind: .irqchip(chip: 0, pin: 9))])
            checks.kernelAccepts("GSI 0 → SPI 41 before CTRL_INIT") { () throws(KVMError) in try machine.vm.setGSIRouting(early) }
            let trigger = try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.createEventFD() }
            checks.kernelRefuses("KVM_IRQFD before CTRL_INIT", .EAGAIN) { () throws(KVMError) in
                try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(0))
            }
            try vgic.initialise()
            checks.kernelAccepts("KVM_IRQFD on GSI 0") { () throws(KVMError) in try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(0)) }
            checks.kernelAccepts("signal") { () throws(KVMError) in try trigger.signal() }
            checks.expect("SPI 32 pending: the default route", SharedInterrupt.latch(vgic, 32), true)
            checks.expect("SPI 41 not: the early table is gone", SharedInterrupt.latch(vgic, 41), false)
            return checks.outcome
        }
    }

    /// `kvm_irqfd`'s errnos: unknown flags EINVAL; an fd that is not open EBADF, an open file
    /// that is no eventfd EINVAL (trigger and resample alike); an eventfd bound twice EBUSY (same
    /// GSI or another); deassigning what was never bound 0; a GSI with no route, even one no table
    /// can hold, accepted.
    static func assignErrors(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context) { machine, _, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let trigger = try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.createEventFD() }
            let other = try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.createEventFD() }
            let triggerFD = trigger.withRawDescriptor { $0 }
            let otherFD = other.withRawDescriptor { $0 }
            let vmFD = machine.vm.withRawDescriptor { $0 }
            let closedFD: Int32 = 1_000_000
            checks.kernelRefuses("flag 4", .EINVAL) { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: triggerFD, gsi: 1, flags: 4))
            }
            checks.kernelRefuses("an fd that is not open", .EBADF) { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: closedFD, gsi: 1))
            }
            checks.kernelRefuses("the VM fd, no eventfd", .EINVAL) { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: vmFD, gsi: 1))
            }
            checks.kernelRefuses("a resample fd that is not open", .EBADF) { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: triggerFD, gsi: 1, flags: IRQFDRequest.resample, resampleFD: closedFD))
            }
            checks.kernelRefuses("a resample fd that is no eventfd", .EINVAL) { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: triggerFD, gsi: 1, flags: IRQFDRequest.resample, resampleFD: vmFD))
            }
            checks.kernelAccepts("deassign what was never bound") { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: triggerFD, gsi: 1, flags: IRQFDRequest.deassign))
            }
            checks.kernelRefuses("deassign an fd that is not open", .EBADF) { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: closedFD, gsi: 1, flags: IRQFDRequest.deassign))
            }
            checks.kernelRefuses("deassign the VM fd", .EINVAL) { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: vmFD, gsi: 1, flags: IRQFDRequest.deassign))
            }
            checks.kernelAccepts("assign on GSI 1") { () throws(KVMError) in try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(1)) }
            checks.kernelRefuses("the same eventfd on GSI 1 again", .EBUSY) { () throws(KVMError) in
                try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(1))
            }
            checks.kernelRefuses("the same eventfd on GSI 2", .EBUSY) { () throws(KVMError) in
                try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(2))
            }
            checks.kernelAccepts("another eventfd on GSI 1") { () throws(KVMError) in try machine.vm.assignIRQFD(other, gsi: DeviceInterruptLab.gsi(1)) }
            checks.kernelAccepts("deassign the first") { () throws(KVMError) in try machine.vm.deassignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(1)) }
            checks.kernelAccepts("bind it again, to GSI 3") { () throws(KVMError) in try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(3)) }
            checks.kernelAccepts("deassign it from GSI 1, where it is not: nothing happens") { () throws(KVMError) in
                try machine.vm.deassignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(1))
            }
            checks.kernelRefuses("…so it is still bound", .EBUSY) { () throws(KVMError) in try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(4)) }
            checks.kernelAccepts("the second eventfd moved to a GSI with no route (4000)") { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: otherFD, gsi: 1, flags: IRQFDRequest.deassign))
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: otherFD, gsi: 4000))
            }
            checks.kernelAccepts("a GSI no table can hold (5000): the kernel does not check it") { () throws(KVMError) in
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: otherFD, gsi: 4000, flags: IRQFDRequest.deassign))
                try machine.vm.irqfd(unchecked: IRQFDRequest(fd: otherFD, gsi: 5000))
            }
            checks.check("GSI(5000) is refused when built", (try? GSI(5000)) == nil)
            return checks.outcome
        }
    }

    /// One eventfd bound in two VMs: 6.12 lets the second VM bind it; 7.x refuses with EBUSY (the
    /// irqfd is the eventfd's exclusive priority waiter): `KernelBehaviour.irqfdEventFDExclusiveAcrossVMs`.
    static func secondVM(_ context: ScenarioContext) -> Outcome {
        guard let line = KernelBehaviour(release: context.kernelRelease) else { return .fail("unknown kernel line") }
        return DeviceInterruptLab.withVGIC(context, vcpus: 1) { machine, _, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let trigger = try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.createEventFD() }
            checks.kernelAccepts("bound in the first VM") { () throws(KVMError) in try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(0)) }
            let inner = DeviceInterruptLab.withVGIC(context, vcpus: 1) { second, _, _ throws(VGICError) in
                var checks = VGICInitChecks()
                if line.irqfdEventFDExclusiveAcrossVMs {
                    checks.kernelRefuses("bound in a second VM (7.x)", .EBUSY) { () throws(KVMError) in
                        try second.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(0))
                    }
                } else {
                    checks.kernelAccepts("bound in a second VM (6.12)") { () throws(KVMError) in
                        try second.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(0))
                    }
                }
                return checks.outcome
            }
            checks.check("second VM: \(inner.detail)", inner.status == "pass")
            return checks.outcome.annotated(line.irqfdEventFDExclusiveAcrossVMs ? "exclusive across VMs" : "per VM")
        }
    }

    /// An edge SPI through `connectIRQFD`: a signal sets its pending latch (never the line), and
    /// the irqfd takes the eventfd's count. An eventfd deassigned from the GSI raises nothing.
    static func injectEdge(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context) { machine, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let line = try vgic.connectIRQFD(DeviceInterruptLab.spi(40), gsi: DeviceInterruptLab.gsi(100), level: false)
            checks.kernelAccepts("signal") { () throws(KVMError) in try line.assert() }
            checks.expect("SPI 40 pending", SharedInterrupt.latch(vgic, 40), true)
            checks.expect("no line for an edge SPI", SharedInterrupt.line(vgic, vcpus[0], 40), false)
            checks.expect("the irqfd took the eventfd's count", try? line.trigger.consume(), 0)
            try SharedInterrupt.setLatch(vgic, 40, false)
            try vgic.disconnect(line)
            let loose = try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.createEventFD() }
            checks.kernelAccepts("bind a second eventfd to GSI 100, then deassign it") { () throws(KVMError) in
                try machine.vm.assignIRQFD(loose, gsi: DeviceInterruptLab.gsi(100))
                try machine.vm.deassignIRQFD(loose, gsi: DeviceInterruptLab.gsi(100))
                try loose.signal()
            }
            checks.expect("a deassigned eventfd raises nothing", SharedInterrupt.latch(vgic, 40), false)
            checks.expect("…and keeps its count", try? loose.consume(), 1)
            return checks.outcome
        }
    }

    /// A level SPI through `connectIRQFD(level: true)`: a signal raises the line (LEVEL_INFO),
    /// not the latch; without a guest, nothing acknowledges it, so the resample eventfd stays 0.
    static func injectLevel(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            try SharedInterrupt.setEdge(vgic, 41, false)
            let line = try vgic.connectIRQFD(DeviceInterruptLab.spi(41), level: true)
            checks.expect("GSI 9, the default for SPI 41", line.gsi.rawValue, 9)
            checks.kernelAccepts("signal") { () throws(KVMError) in try line.assert() }
            checks.expect("line high", SharedInterrupt.line(vgic, vcpus[0], 41), true)
            checks.expect("latch clear", SharedInterrupt.latch(vgic, 41), false)
            checks.expect("no acknowledgement without a guest", try? line.takeAcknowledgements(), 0)
            return checks.outcome
        }
    }

    /// An eventfd already counted when it is bound: the kernel injects at assignment
    /// (`vfs_poll` finds EPOLLIN and schedules the injection, from a workqueue) and leaves the
    /// count in the eventfd (only the wake-up of a write takes it).
    static func countedBeforeAssign(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context) { machine, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let trigger = try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.createEventFD() }
            checks.kernelAccepts("signal before binding") { () throws(KVMError) in try trigger.signal() }
            checks.kernelAccepts("bind to GSI 10 (SPI 42)") { () throws(KVMError) in try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(10)) }
            var pending = false
            for _ in 0..<200 where !pending {
                pending = SharedInterrupt.latch(vgic, 42) == true
                if !pending { DeviceInterruptLab.pause(context, milliseconds: 1) }
            }
            checks.check("SPI 42 pending within 200 ms of binding", pending)
            checks.expect("the count is still in the eventfd", try? trigger.consume(), 1)
            return checks.outcome
        }
    }

    /// Changing the table under a bound irqfd moves it: after GSI 5 is routed from SPI 37 to SPI
    /// 50, a signal raises SPI 50.
    static func routeChange(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context) { machine, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let trigger = try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.createEventFD() }
            checks.kernelAccepts("bind GSI 5") { () throws(KVMError) in try machine.vm.assignIRQFD(trigger, gsi: DeviceInterruptLab.gsi(5)) }
            var table = GSIRoutingTable.kernelDefault(spiCount: 96)
            table.replace(.spi(DeviceInterruptLab.spi(50), gsi: DeviceInterruptLab.gsi(5)))
            try vgic.setRoutingTable(table)
            checks.kernelAccepts("signal") { () throws(KVMError) in try trigger.signal() }
            checks.expect("SPI 50 pending", SharedInterrupt.latch(vgic, 50), true)
            checks.expect("SPI 37 not", SharedInterrupt.latch(vgic, 37), false)
            return checks.outcome
        }
    }
}
