import GICVocabulary
import KVM

/// Wiring a device's interrupt the way a VMM does: a route in the GSI routing table and an irqfd
/// on it, in one typed call (VGIC.docc/ITS.md, KVM.docc/InterruptRouting.md).
///
/// The vgic keeps the routing table it installs (`routingTable`): the first connection starts
/// from the table CTRL_INIT installed (GSI n → SPI n + 32 for every SPI), and each one replaces
/// its GSI's entry and installs the whole table again (`KVM_SET_GSI_ROUTING` replaces the VM's
/// table; a table set before CTRL_INIT is overwritten by it, so connections need an initialised
/// vgic). Tables are checked before the ioctl.
extension VGIC {
    /// Routes `spi` to `gsi` (by default its GSI in the kernel's default table, INTID − 32) and
    /// binds a new eventfd to it; a level line also gets a resample eventfd.
    ///
    /// - Parameter level: true for a level-triggered device line (the guest's ICFGR must say level
    ///   too): the line stays high until the guest acknowledges it, and the resample eventfd
    ///   reports the acknowledgement. False for an edge: each assertion is one interrupt.
    /// - Throws: before any ioctl, `.configuration(.initialiseFirst)`, `.irqfdNotInModel` (GICv5),
    ///   `.spiBeyondInterruptCount`, `.gsiInUse`, `.spiInUse`; then the kernel's refusals.
    public mutating func connectIRQFD(_ spi: SPI, gsi: GSI? = nil, level: Bool) throws(VGICError) -> IRQFDLine {
        let gsi = gsi ?? GSI(defaultFor: spi)
        try requireWiring()
        let count = try interruptCount()
        guard spi.intid < count else { throw .configuration(.spiBeyondInterruptCount(spi, count: count)) }
        if connected[gsi] != nil { throw .configuration(.gsiInUse(gsi)) }
        for (other, line) in connected {
            if case .spi(let wired, _) = line, wired == spi { throw .configuration(.spiInUse(spi, gsi: other)) }
        }
        try route(.spi(spi, gsi: gsi), spiCount: count - 32)
        let trigger = try createEventFD()
        var line: IRQFDLine
        do throws(KVMError) {
            if level {
                let resample = try vm.createEventFD()
                try vm.assignIRQFD(trigger, gsi: gsi, resample: resample)
                line = IRQFDLine(spi: spi, gsi: gsi, trigger: trigger, resample: resample)
            } else {
                try vm.assignIRQFD(trigger, gsi: gsi)
                line = IRQFDLine(spi: spi, gsi: gsi, trigger: trigger, resample: nil)
            }
        } catch {
            throw .wiring(error)
        }
        connected[gsi] = .spi(spi, level: level)
        return line
    }

    /// Routes `gsi` to the ITS message of event `eventID` of device `deviceID` and binds a new
    /// eventfd to it: each signal is one MSI, translated by the ITS into the LPI the guest mapped.
    ///
    /// Choose `gsi` outside the SPIs' default GSIs (at or above NR_IRQS − 32), as Firecracker
    /// does: the route replaces whatever the GSI raised.
    ///
    /// - Throws: `.configuration(.noITS)`, `.initialiseFirst`, `.gsiInUse` before any ioctl; then
    ///   the kernel's refusals.
    public mutating func connectMSI(deviceID: UInt32, eventID: UInt32, gsi: GSI) throws(VGICError) -> MSILine {
        try requireWiring()
        let message = try itsMessage(deviceID: deviceID, eventID: eventID)
        if connected[gsi] != nil { throw .configuration(.gsiInUse(gsi)) }
        let count = try interruptCount()
        try route(.msi(gsi: gsi, message), spiCount: count - 32)
        let trigger = try createEventFD()
        do throws(KVMError) {
            try vm.assignIRQFD(trigger, gsi: gsi)
        } catch {
            throw .wiring(error)
        }
        connected[gsi] = .msi(message)
        return MSILine(gsi: gsi, message: message, trigger: trigger)
    }

    /// Unbinds `line`'s irqfd (`KVM_IRQFD` deassign) and closes its eventfds. Its route stays.
    public mutating func disconnect(_ line: consuming IRQFDLine) throws(VGICError) {
        do throws(KVMError) {
            try vm.deassignIRQFD(line.trigger, gsi: line.gsi)
        } catch {
            throw .wiring(error)
        }
        connected[line.gsi] = nil
    }

    /// Unbinds `line`'s irqfd and closes its eventfd. Its route stays.
    public mutating func disconnect(_ line: consuming MSILine) throws(VGICError) {
        do throws(KVMError) {
            try vm.deassignIRQFD(line.trigger, gsi: line.gsi)
        } catch {
            throw .wiring(error)
        }
        connected[line.gsi] = nil
    }

    /// Installs `table` as the VM's routing table (checked before the ioctl), and keeps it.
    public mutating func setRoutingTable(_ table: GSIRoutingTable) throws(VGICError) {
        do throws(KVMError) {
            try vm.setGSIRouting(table)
        } catch {
            throw .wiring(error)
        }
        routingTable = table
    }

    // MARK: Plumbing

    /// Connections need a GICv2 or GICv3 that is initialised (irqfds before CTRL_INIT are EAGAIN,
    /// and CTRL_INIT would overwrite an earlier table).
    private func requireWiring() throws(VGICError) {
        if version == .v5 { throw .configuration(.irqfdNotInModel(version)) }
        if !isInitialised { throw .configuration(.initialiseFirst(version)) }
    }

    /// `route` replaces its GSI's entry in the table in force, which is then installed.
    private mutating func route(_ route: GSIRoute, spiCount: UInt32) throws(VGICError) {
        var table = routingTable ?? GSIRoutingTable.kernelDefault(spiCount: spiCount)
        table.replace(route)
        try setRoutingTable(table)
    }

    private func createEventFD() throws(VGICError) -> EventFD {
        do throws(KVMError) {
            return try vm.createEventFD()
        } catch {
            throw .kernel(error)
        }
    }
}
