import GICVocabulary
import KVM
import VGIC

/// `KVM_SIGNAL_MSI` and MSI routes on the kernel (KVM.docc/InterruptRouting.md,
/// Conformance.docc/DeviceInterrupts.md): the kernel's answer without an in-kernel GIC, with a
/// GIC and no ITS, and with an ITS whose device was never mapped; `KVM_CAP_MSI_DEVID` per VM.
extension ScenarioCatalog {
    public static var msi: [Scenario] {
        [
            Scenario("msi.capability.device_id") { context in MSIScenarios.deviceIDCapability(context) },
            Scenario("msi.signal.no_irqchip") { context in MSIScenarios.noIRQChip(context) },
            Scenario("msi.signal.no_its") { context in MSIScenarios.noITS(context) },
            Scenario("msi.signal.its_disabled") { context in MSIScenarios.itsDisabled(context) },
            Scenario("msi.signal.unmapped_device") { context in MSIScenarios.unmappedDevice(context) },
            Scenario("msi.route.its") { context in MSIScenarios.routeThroughITS(context) },
        ]
    }
}

enum MSIScenarios {
    /// `KVM_CAP_MSI_DEVID`: EINVAL on /dev/kvm (no VM to answer for), 0 on a VM without an ITS,
    /// 1 once it has one (`msis_require_devid`, set by `vgic_its_create`).
    static func deviceIDCapability(_ context: ScenarioContext) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return error.outcome() }
        var checks = VGICInitChecks()
        var systemAnswer = "accepted"
        do throws(KVMError) { _ = try kvm.checkExtension(.msiDeviceID) } catch { systemAnswer = "\(error.errno ?? Errno(rawValue: 0))" }
        checks.expect("/dev/kvm", systemAnswer, Errno.EINVAL.description)
        let outcome = DeviceInterruptLab.withVGIC(context) { machine, vgic, _ throws(VGICError) in
            var inner = VGICInitChecks()
            inner.expect("a VM without an ITS", try? machine.vm.checkExtension(.msiDeviceID), 0)
            try vgic.addITS(base: DeviceInterruptLab.itsBase)
            inner.expect("with an ITS", try? machine.vm.checkExtension(.msiDeviceID), 1)
            return inner.outcome
        }
        checks.check("VM: \(outcome.detail)", outcome.status == "pass")
        return checks.outcome
    }

    /// A VM without an in-kernel GIC: EINVAL (`kvm_send_userspace_msi`).
    static func noIRQChip(_ context: ScenarioContext) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            checks.kernelRefuses("no vgic", .EINVAL) { () throws(KVMError) in
                _ = try machine.vm.signalMSI(MSIMessage(address: DeviceInterruptLab.itsBase + 0x1_0040, data: 0, deviceID: 0))
            }
            return checks.outcome
        }
    }

    /// A vgic-v3 without an ITS: ENODEV (`kvm_set_msi`), after the flags check (EINVAL for a flag
    /// beyond VALID_DEVID comes first); the typed call refuses before the ioctl.
    static func noITS(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context) { machine, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let message = MSIMessage(address: DeviceInterruptLab.itsBase + 0x1_0040, data: 0, deviceID: 0)
            checks.kernelRefuses("no ITS", .ENODEV) { () throws(KVMError) in _ = try machine.vm.signalMSI(message) }
            checks.kernelRefuses("no ITS, without a device id", .ENODEV) { () throws(KVMError) in
                _ = try machine.vm.signalMSI(MSIMessage(address: message.address, data: 0))
            }
            checks.kernelRefuses("flag 2", .EINVAL) { () throws(KVMError) in _ = try machine.vm.signalMSI(message, extraFlags: 2) }
            checks.refused("typed, through the vgic", { $0 == .configuration(.noITS) }) { () throws(VGICError) in
                _ = try vgic.signalMSI(deviceID: 0, eventID: 0)
            }
            return checks.outcome
        }
    }

    /// An ITS that is disabled (GITS_CTLR.Enabled 0, as created): EINVAL without a device id or
    /// for a doorbell that is no ITS frame (`vgic_msi_to_its`), then EBUSY for a proper message
    /// (`vgic_its_resolve_lpi`), which the vgic reports as `.lpisDisabled`.
    static func itsDisabled(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { machine, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let doorbell = DeviceInterruptLab.itsBase + 0x1_0040
            checks.kernelRefuses("without a device id", .EINVAL) { () throws(KVMError) in
                _ = try machine.vm.signalMSI(MSIMessage(address: doorbell, data: 0))
            }
            checks.kernelRefuses("a doorbell outside the ITS frame", .EINVAL) { () throws(KVMError) in
                _ = try machine.vm.signalMSI(MSIMessage(address: DeviceInterruptLab.itsBase + 0x2_0000, data: 0, deviceID: 0))
            }
            checks.kernelRefuses("the ITS disabled", .EBUSY) { () throws(KVMError) in
                _ = try machine.vm.signalMSI(MSIMessage(address: doorbell, data: 0, deviceID: 0))
            }
            checks.refused("typed: .lpisDisabled", { if case .lpisDisabled = $0 { true } else { false } }) { () throws(VGICError) in
                _ = try vgic.signalMSI(deviceID: 0, eventID: 0)
            }
            return checks.outcome
        }
    }

    /// An enabled ITS (command queue and both tables Valid, written by the host) with no device
    /// mapped: the MSI is blocked, `KVM_SIGNAL_MSI` answers 0.
    static func unmappedDevice(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            try ITSScenarios.enable(vgic)
            checks.expect("GITS_CTLR enabled and quiescent", try? vgic.itsRegister(.gitsCTLR), 0x8000_0001)
            checks.expect("device 1 event 0", try? vgic.signalMSI(deviceID: 1, eventID: 0), MSIDelivery.blocked)
            checks.expect("device 0xFFFF event 0xFFFF", try? vgic.signalMSI(deviceID: 0xFFFF, eventID: 0xFFFF), MSIDelivery.blocked)
            return checks.outcome
        }
    }

    /// `connectMSI`: an MSI route with the device id is accepted, and a signal of its eventfd
    /// with no mapping in the ITS makes nothing pending; the same route without a device id is
    /// accepted too (the routing table does not check it; the injection would fail).
    static func routeThroughITS(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { machine, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            try ITSScenarios.enable(vgic)
            let line = try vgic.connectMSI(deviceID: 1, eventID: 2, gsi: DeviceInterruptLab.gsi(200))
            checks.expect("the route", vgic.routingTable?.routes.last, GSIRoute.msi(gsi: DeviceInterruptLab.gsi(200), line.message))
            checks.kernelAccepts("signal") { () throws(KVMError) in try line.signal() }
            DeviceInterruptLab.pause(context, milliseconds: 10)
            checks.expect("the ITS stays quiescent", try? vgic.itsRegister(.gitsCTLR), 0x8000_0001)
            var table = vgic.routingTable ?? GSIRoutingTable()
            table.replace(GSIRoute(gsi: 201, kind: .msi(MSIMessage(address: line.message.address, data: 2))))
            checks.kernelAccepts("an MSI route without a device id") { () throws(KVMError) in try machine.vm.setGSIRouting(table) }
            return checks.outcome
        }
    }
}
