import GICVocabulary
import KVM

/// The vgic's ITS, reached through the vgic that owns it (VGIC.docc/ITS.md).
extension VGIC {
    /// Lends the ITS to `body`.
    ///
    /// - Throws: `.configuration(.noITS)` when the vgic has none; otherwise what `body` throws.
    public func withITS<Result>(_ body: (borrowing ITS) throws(VGICError) -> Result) throws(VGICError) -> Result {
        switch its {
        case .some(let its):
            return try body(its)
        case .none:
            throw .configuration(.noITS)
        }
    }

    /// Element `index` of ITS register `register` (`ITS.register`).
    public func itsRegister(_ register: ITSRegister, index: UInt32 = 0) throws(VGICError) -> UInt64 {
        try withITS { (its) throws(VGICError) in try its.register(register, index: index) }
    }

    /// Writes element `index` of ITS register `register` (`ITS.setRegister`).
    public func setITSRegister(_ register: ITSRegister, index: UInt32 = 0, to value: UInt64) throws(VGICError) {
        try withITS { (its) throws(VGICError) in try its.setRegister(register, index: index, to: value) }
    }

    /// `KVM_DEV_ARM_ITS_CTRL_RESET` of the ITS.
    public func resetITS() throws(VGICError) {
        try withITS { (its) throws(VGICError) in try its.reset() }
    }

    /// `KVM_DEV_ARM_ITS_SAVE_TABLES` of the ITS.
    public func saveITSTables() throws(VGICError) {
        try withITS { (its) throws(VGICError) in try its.saveTables() }
    }

    /// `KVM_DEV_ARM_ITS_RESTORE_TABLES` of the ITS.
    public func restoreITSTables() throws(VGICError) {
        try withITS { (its) throws(VGICError) in try its.restoreTables() }
    }

    /// The MSI device `deviceID` sends for `eventID` through the ITS (its GITS_TRANSLATER).
    public func itsMessage(deviceID: UInt32, eventID: UInt32) throws(VGICError) -> MSIMessage {
        try withITS { (its) throws(VGICError) in its.message(deviceID: deviceID, eventID: eventID) }
    }

    /// `KVM_SIGNAL_MSI` of event `eventID` of device `deviceID` through the ITS.
    ///
    /// - Returns: `.delivered` when the LPI was made pending; `.blocked` when the ITS has no
    ///   translation for the device and event (the guest has not mapped them).
    /// - Throws: `.configuration(.noITS)` before the ioctl; `.lpisDisabled` (EBUSY) while the ITS or
    ///   the target's LPIs are disabled.
    public func signalMSI(deviceID: UInt32, eventID: UInt32) throws(VGICError) -> MSIDelivery {
        let message = try itsMessage(deviceID: deviceID, eventID: eventID)
        do throws(KVMError) {
            return try vm.signalMSI(message)
        } catch {
            throw .signalling(error)
        }
    }
}
