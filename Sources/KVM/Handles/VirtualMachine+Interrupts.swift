import CKVM
import GICVocabulary

/// Device interrupts a VMM wires into the in-kernel GIC: irqfds (`KVM_IRQFD`), the GSI routing
/// table (`KVM_SET_GSI_ROUTING`) and MSIs (`KVM_SIGNAL_MSI`), each checked against the kernel's
/// rules before the ioctl where the rule is the kernel's alone (KVM.docc/InterruptRouting.md).
///
/// Each is one ioctl on the VM fd, safe from any thread.
extension VirtualMachine {
    // MARK: eventfds

    /// A new eventfd on this VM's kernel interface (so a simulated VM gets a simulated one).
    public func createEventFD(semaphore: Bool = false) throws(KVMError) -> EventFD {
        try EventFD.create(interface: fd.interface, semaphore: semaphore)
    }

    // MARK: KVM_IRQFD

    /// Binds `trigger` to `gsi`: each `signal()` raises the GSI's route once (for an SPI: the line
    /// goes high, which is an edge for an edge-triggered SPI).
    ///
    /// - Throws: the kernel's refusal: EAGAIN before the vgic's CTRL_INIT
    ///   (`kvm_arch_intc_initialized`), EBUSY when `trigger` already drives a GSI (7.x: in any VM),
    ///   EINVAL when it is no eventfd.
    public func assignIRQFD(_ trigger: borrowing EventFD, gsi: GSI) throws(KVMError) {
        try irqfd(unchecked: IRQFDRequest(fd: trigger.fd.raw, gsi: gsi.rawValue))
    }

    /// Binds `trigger` to `gsi` as a level-triggered line with a resampler: a `signal()` raises the
    /// line and keeps it high; when the guest acknowledges the interrupt (the EOI maintenance
    /// interrupt of its level SPI), the kernel lowers the line and signals `resample`, and the
    /// device model, if its condition still holds, signals `trigger` again.
    public func assignIRQFD(_ trigger: borrowing EventFD, gsi: GSI, resample: borrowing EventFD) throws(KVMError) {
        try irqfd(unchecked: IRQFDRequest(
            fd: trigger.fd.raw, gsi: gsi.rawValue, flags: IRQFDRequest.resample, resampleFD: resample.fd.raw))
    }

    /// Detaches `trigger` from `gsi`. The kernel answers 0 even when nothing was bound
    /// (`kvm_irqfd_deassign` only searches); when it returns, no further injection from it runs.
    public func deassignIRQFD(_ trigger: borrowing EventFD, gsi: GSI) throws(KVMError) {
        try irqfd(unchecked: IRQFDRequest(fd: trigger.fd.raw, gsi: gsi.rawValue, flags: IRQFDRequest.deassign))
    }

    /// `KVM_IRQFD` with `request` exactly as given: conformance checks send what the typed calls
    /// cannot (a closed fd, unknown flags).
    public func irqfd(unchecked request: IRQFDRequest) throws(KVMError) {
        var raw = kvm_irqfd()
        raw.fd = UInt32(bitPattern: request.fd)
        raw.gsi = request.gsi
        raw.flags = request.flags
        raw.resamplefd = UInt32(bitPattern: request.resampleFD)
        _ = try fd.ioctl(Attempt(.irqfd, argument: UInt64(request.gsi)), pointer: &raw)
    }

    // MARK: KVM_SET_GSI_ROUTING

    /// Replaces the VM's routing table with `table`, after checking it against every rule the
    /// kernel enforces (`GSIRoutingTable.firstProblem`).
    ///
    /// A table set before the vgic's CTRL_INIT is accepted and then replaced by CTRL_INIT with the
    /// default table (GSI n → SPI n + 32): route after initialising.
    ///
    /// - Throws: `.invalidArgument(_, .routing(problem))` before the ioctl; the kernel's errno
    ///   otherwise.
    public func setGSIRouting(_ table: GSIRoutingTable) throws(KVMError) {
        let attempt = Attempt(.setGSIRouting, argument: UInt64(table.routes.count))
        if let problem = table.firstProblem() { throw KVMError.invalidArgument(attempt, reason: .routing(problem)) }
        try setGSIRouting(unchecked: table)
    }

    /// `KVM_SET_GSI_ROUTING` of `table` and header `flags` exactly as given, unchecked.
    public func setGSIRouting(unchecked table: GSIRoutingTable, flags: UInt32 = 0) throws(KVMError) {
        let attempt = Attempt(.setGSIRouting, argument: UInt64(table.routes.count))
        try RoutingEncoding.withBuffer(table.routes, flags: flags) { (buffer) throws(KVMError) in
            _ = try fd.ioctl(attempt, pointer: buffer)
        }
    }

    // MARK: KVM_SIGNAL_MSI

    /// Injects `message` once (`KVM_SIGNAL_MSI`).
    ///
    /// - Returns: `.delivered` for a positive answer, `.blocked` for 0 (with an ITS: no
    ///   translation for the device and event).
    /// - Throws: the kernel's errno: EINVAL without an in-kernel GIC, or with an ITS but no device
    ///   id or a doorbell that is no ITS frame; ENODEV with a GIC but no ITS; EBUSY while the ITS
    ///   (GITS_CTLR.Enabled) or the target's LPIs are disabled.
    public func signalMSI(_ message: MSIMessage) throws(KVMError) -> MSIDelivery {
        try signalMSI(message, extraFlags: 0)
    }

    /// `KVM_SIGNAL_MSI` with `extraFlags` OR'ed into the flags, unchecked (the kernel refuses any
    /// flag but `KVM_MSI_VALID_DEVID` with EINVAL).
    public func signalMSI(_ message: MSIMessage, extraFlags: UInt32) throws(KVMError) -> MSIDelivery {
        var raw = kvm_msi()
        raw.address_lo = UInt32(truncatingIfNeeded: message.address)
        raw.address_hi = UInt32(truncatingIfNeeded: message.address >> 32)
        raw.data = message.data
        raw.flags = message.flags | extraFlags
        raw.devid = message.deviceID ?? 0
        let result = try fd.ioctl(Attempt(.signalMSI, argument: UInt64(message.data)), pointer: &raw)
        return result > 0 ? .delivered(result) : .blocked
    }

    // MARK: Capabilities

    /// What this VM offers for device interrupts, asked per VM (`KVM_CHECK_EXTENSION` on the VM fd:
    /// `KVM_CAP_MSI_DEVID` answers for this VM, 1 once it has an ITS).
    public func interruptRoutingSupport() throws(KVMError) -> InterruptRoutingSupport {
        InterruptRoutingSupport(
            irqfd: try checkExtension(.irqfd) > 0, irqfdResample: try checkExtension(.irqfdResample) > 0,
            maximumRoutes: try checkExtension(.irqRouting), signalMSI: try checkExtension(.signalMSI) > 0,
            msiRequiresDeviceID: try checkExtension(.msiDeviceID) > 0)
    }
}

/// The device-interrupt capabilities of one VM.
public struct InterruptRoutingSupport: Hashable, Sendable, CustomStringConvertible {
    /// `KVM_CAP_IRQFD`.
    public var irqfd: Bool
    /// `KVM_CAP_IRQFD_RESAMPLE`.
    public var irqfdResample: Bool
    /// `KVM_CAP_IRQ_ROUTING`: `KVM_MAX_IRQ_ROUTES` (4096), 0 without routing.
    public var maximumRoutes: Int
    /// `KVM_CAP_SIGNAL_MSI`.
    public var signalMSI: Bool
    /// `KVM_CAP_MSI_DEVID` asked of the VM: MSIs must carry a device id (an ITS exists).
    public var msiRequiresDeviceID: Bool

    public init(irqfd: Bool, irqfdResample: Bool, maximumRoutes: Int, signalMSI: Bool, msiRequiresDeviceID: Bool) {
        self.irqfd = irqfd
        self.irqfdResample = irqfdResample
        self.maximumRoutes = maximumRoutes
        self.signalMSI = signalMSI
        self.msiRequiresDeviceID = msiRequiresDeviceID
    }

    public var description: String {
        "irqfd \(irqfd), resample \(irqfdResample), \(maximumRoutes) routes, KVM_SIGNAL_MSI \(signalMSI), "
            + "device ids required \(msiRequiresDeviceID)"
    }
}
