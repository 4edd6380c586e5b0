import GICVocabulary
import KVM
import VGIC

extension VGIC {
    /// Saves this vgic's complete state: the identity, then every register `RestoreOrder` writes
    /// back, in that order, reading only (no register is changed).
    ///
    /// With an ITS, the LPIs' pending bits and the ITS's tables are written into guest RAM first
    /// (`SAVE_PENDING_TABLES`, `ITS_SAVE_TABLES`: the kernel's only way to save them), then the
    /// ITS registers `ITSRestoreOrder` names are read; save guest RAM after this call, at least
    /// `GICSnapshot.itsMemoryRanges` and the ITTs the device table names.
    ///
    /// - Parameter stopped: proof that the VM's vCPUs are not running, and which vCPUs to save
    ///   (all of the VM's: the snapshot holds a redistributor and CPU interface per vCPU).
    /// - Throws: `.unsupported` for a GICv2/GICv5, before CTRL_INIT, or without vCPUs, all before
    ///   any ioctl; `.reading` with the kernel's refusal otherwise (EBUSY: `.vcpusRunning`);
    ///   `.itsSaving` when a table save or an ITS register read is refused (EFAULT: a table
    ///   outside guest RAM).
    public func captureSnapshot(_ stopped: borrowing StoppedVCPUs) throws(SnapshotError) -> GICSnapshot {
        var tally = AccessTally()
        return try captureSnapshot(stopped, tally: &tally)
    }

    /// `captureSnapshot(_:)`, adding the kernel accesses it issued to `tally`.
    public func captureSnapshot(
        _ stopped: borrowing StoppedVCPUs, tally: inout AccessTally
    ) throws(SnapshotError) -> GICSnapshot {
        guard version == .v3 else { throw .unsupported(.model(version)) }
        guard isInitialised else { throw .unsupported(.notInitialised) }
        let vcpus = stopped.vcpus
        guard let first = vcpus.first else { throw .unsupported(.noVCPUs) }
        let reading = try IdentityReading.read(from: self, vcpus: vcpus, tally: &tally)
        let identity = reading.identity

        var distributor: [RegisterBank] = []
        for register in RestoreOrder.savedRegisters(.distributor) {
            let elements = SnapshotCoverage.elements(
                of: register, in: .distributor, interruptCount: identity.interruptCount, activePriorityCount: 0)
            var values: [UInt64] = []
            values.reserveCapacity(elements.count)
            for index in elements {
                do throws(VGICError) {
                    values.append(try readElement(register, index, vcpu: first, tally: &tally))
                } catch {
                    throw .reading(register, .distributor, error)
                }
            }
            distributor.append(try Self.bank(register, elements, values))
        }

        var states: [VCPUState] = []
        for (position, layout) in identity.vcpus.enumerated() {
            var banks: [RegisterBank] = []
            for register in RestoreOrder.savedRegisters(.eachVCPU) {
                if register == .system(ICCRegister.iccCTLR) {
                    banks.append(try Self.bank(register, 0..<1, [reading.controls[position].rawValue]))
                    continue
                }
                let elements = SnapshotCoverage.elements(
                    of: register, in: .eachVCPU, interruptCount: identity.interruptCount,
                    activePriorityCount: layout.activePriorityCount)
                var values: [UInt64] = []
                for index in elements {
                    do throws(VGICError) {
                        values.append(try readElement(register, index, vcpu: layout.identity, tally: &tally))
                    } catch {
                        throw .reading(register, .vcpu(position), error)
                    }
                }
                banks.append(try Self.bank(register, elements, values))
            }
            states.append(VCPUState(banks: banks))
        }
        let its = hasITS ? try captureITS(tally: &tally) : nil
        return GICSnapshot(identity: identity, distributor: distributor, vcpus: states, its: its)
    }

    /// The pending tables and ITS tables written to guest RAM, then the ITS's frame and registers.
    private func captureITS(tally: inout AccessTally) throws(SnapshotError) -> ITSState {
        do throws(VGICError) {
            try savePendingTables()
            tally.writes += 1
        } catch {
            throw .itsSaving(.savePendingTables, error)
        }
        do throws(VGICError) {
            try saveITSTables()
            tally.writes += 1
        } catch {
            throw .itsSaving(.saveTables, error)
        }
        var registers: [ITSSavedValue] = []
        var base: UInt64 = 0
        for saved in ITSRestoreOrder.savedRegisters {
            do throws(VGICError) {
                base = try withITS { (its) throws(VGICError) in its.base }
                registers.append(ITSSavedValue(saved, try itsRegister(saved.register, index: saved.index)))
                tally.reads += 1
            } catch {
                throw .itsSaving(.register(saved), error)
            }
        }
        return ITSState(base: base, registers: registers)
    }

    /// A bank of the values read for `elements`. `SnapshotCoverage` ranges lie inside their
    /// register, so the bank's own check cannot refuse them; if it ever did, capture fails with
    /// that reason rather than trap.
    private static func bank(
        _ register: SnapshotRegister, _ elements: Range<UInt32>, _ values: [UInt64]
    ) throws(SnapshotError) -> RegisterBank {
        do throws(SnapshotValueError) {
            return try RegisterBank(register, firstIndex: elements.lowerBound, values: values)
        } catch {
            throw .malformed(.unrepresentable(error))
        }
    }
}
