import GICVocabulary

/// The guest's ICC_PPI_* and control register accesses, with the architecture's rules
/// (GICv5Model.docc/GICv5Architecture.md, QEMU `gicv5-cpuif.c`). Reads of ENABLER, SPENDR/CPENDR,
/// SACTIVER/CACTIVER and HMR are the `PPISet.register(_:)` of the matching property.
extension GICv5CPUInterface {
    /// ICC_PPI_ENABLERx_EL1 write (V13): the bank becomes `value`.
    public mutating func writeEnable(_ bank: PPIBank, _ value: UInt64) {
        ppiEnabled.setRegister(bank, value)
    }

    /// ICC_PPI_SPENDRx_EL1 write (V2): each 1 makes an edge PPI pending. Bits of level PPIs are
    /// ignored: "If ICC_PPI_HMR_EL1[n].HM is 1, PEND bits are RO" (V1).
    public mutating func writeSetPending(_ bank: PPIBank, _ value: UInt64) {
        let writable = value & ~ppiHandlingModes.register(bank)
        ppiPending.setRegister(bank, ppiPending.register(bank) | writable)
    }

    /// ICC_PPI_CPENDRx_EL1 write (V2): each 1 makes an edge PPI not pending; level PPIs ignored, so
    /// a level PPI acknowledged with its input high stays pending (vector G5-05 in
    /// GICv5Model.docc/GICv5TestVectors.md).
    public mutating func writeClearPending(_ bank: PPIBank, _ value: UInt64) {
        let writable = value & ~ppiHandlingModes.register(bank)
        ppiPending.setRegister(bank, ppiPending.register(bank) & ~writable)
    }

    /// ICC_PPI_SACTIVERx_EL1 write (V12): each 1 makes the PPI active.
    public mutating func writeSetActive(_ bank: PPIBank, _ value: UInt64) {
        ppiActive.setRegister(bank, ppiActive.register(bank) | value)
    }

    /// ICC_PPI_CACTIVERx_EL1 write (V12): each 1 makes the PPI inactive.
    public mutating func writeClearActive(_ bank: PPIBank, _ value: UInt64) {
        ppiActive.setRegister(bank, ppiActive.register(bank) & ~value)
    }

    /// ICC_PPI_PRIORITYRn_EL1 write (V14): bits [7:5] of each byte are RES0 and dropped, so a read
    /// returns `value & 0x1F1F_1F1F_1F1F_1F1F` (vector G5-16). (The stored QEMU snapshot keeps the
    /// raw value; the model follows the register's field layout, as KVM's accessor does.)
    public mutating func writePriority(register index: Int, _ value: UInt64) {
        ppiPriorities.setRegister(index, value)
    }

    /// ICC_PPI_PRIORITYRn_EL1 read.
    public func readPriority(register index: Int) -> UInt64 {
        ppiPriorities.register(index)
    }

    /// ICC_CR0_EL1 read: EN, with LINK and LINK_IDLE always 1.
    public var controlRegister: UInt64 { CPUInterfaceControl.register(enabled: enabled) }

    /// ICC_CR0_EL1 write: only EN is writable.
    public mutating func writeControl(_ value: UInt64) {
        enabled = value & CPUInterfaceControl.enable != 0
    }

    /// ICC_PCR_EL1 write: PRIORITY [4:0].
    public mutating func writePriorityMask(_ value: UInt64) {
        priorityMask = UInt8(truncatingIfNeeded: value) & 0x1F
    }

    /// ICC_APR_EL1 write: the low 32 bits (P0..P31).
    public mutating func writeActivePriorities(_ value: UInt64) {
        activePriorities = ActivePriorities(register: value)
    }

    /// ICC_HAPR_EL1 read: the running priority, 0–31, or 0xFF when no priority is active (QEMU's
    /// `PRIO_IDLE`; the architected idle value is **[unverified]**, GICv5Model.docc/GICv5Architecture.md).
    public var highestActivePriority: UInt64 {
        let running = activePriorities.runningPriority
        return running == GICv5Priority.idle ? 0xFF : UInt64(running)
    }
}
