import GICVocabulary
import KVM

/// The ITS's registers by name and its control operations (GICVocabulary.docc/ITSRegisterMap.md).
///
/// Each register element is one `__u64` access (a 64-bit register whole, a 32-bit one in the low
/// word), at the element's offset. Every call locks the VM's vCPUs in the kernel: EBUSY
/// (`.vcpusRunning`) while one runs.
extension ITS {
    /// Reads element `index` of `register` (GITS_BASER<index>, the `index`th ID register).
    public func register(_ register: ITSRegister, index: UInt32 = 0) throws(VGICError) -> UInt64 {
        let offset = try ITS.offset(register, index)
        do throws(KVMError) {
            return try device.get(.itsRegister(offset: offset))
        } catch {
            throw .accessingITS(register, error)
        }
    }

    /// Writes element `index` of `register`.
    ///
    /// - Throws: `.configuration(.itsValueTooWide)` before the ioctl for a value beyond a 32-bit
    ///   register; `.itsValueRejected` for the kernel's EINVAL (GITS_IIDR with a revision it lacks,
    ///   GITS_CREADR at or beyond the command queue); `.itsEnabled` for GITS_CREADR while the ITS is
    ///   enabled (EBUSY); `.vcpusRunning` for EBUSY otherwise.
    public func setRegister(_ register: ITSRegister, index: UInt32 = 0, to value: UInt64) throws(VGICError) {
        let offset = try ITS.offset(register, index)
        if register.width == .bits32 && value > UInt64(UInt32.max) {
            throw .configuration(.itsValueTooWide(register, value: value))
        }
        do throws(KVMError) {
            try device.set(.itsRegister(offset: offset), to: value)
        } catch {
            throw .accessingITS(register, error, write: true)
        }
    }

    /// `KVM_DEV_ARM_ITS_CTRL_RESET`: disabled, no command queue, tables not Valid, no devices or
    /// collections; the ABI revision stays.
    public func reset() throws(VGICError) {
        try control(.itsReset)
    }

    /// `KVM_DEV_ARM_ITS_SAVE_TABLES`: writes the device, ITT and collection tables to guest RAM
    /// where GITS_BASER0/1 point. Pause the vCPUs first, and save the guest's RAM after.
    ///
    /// - Throws: `.guestMemory` (EFAULT) when a Valid table lies outside guest RAM.
    public func saveTables() throws(VGICError) {
        try control(.itsSaveTables)
    }

    /// `KVM_DEV_ARM_ITS_RESTORE_TABLES`: rebuilds devices, translations and collections from the
    /// tables in guest RAM. Restore GITS_IIDR, GITS_CBASER, GITS_CREADR, GITS_CWRITER and
    /// GITS_BASER<n> before, GITS_CTLR after (`ITSRegister.restoreSequence`).
    public func restoreTables() throws(VGICError) {
        try control(.itsRestoreTables)
    }

    func control(_ operation: ControlOperation) throws(VGICError) {
        do throws(KVMError) {
            try device.perform(.control(operation))
        } catch {
            throw .controllingITS(error)
        }
    }

    /// The attr offset of element `index`, or the configuration problem.
    static func offset(_ register: ITSRegister, _ index: UInt32) throws(VGICError) -> UInt32 {
        guard let offset = register.offset(ofElement: index) else {
            throw .configuration(.itsRegisterIndex(register, index: index, count: register.count))
        }
        return offset
    }
}
