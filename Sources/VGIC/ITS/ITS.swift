import GICVocabulary
import KVM

/// A vgic-its device: the Interrupt Translation Service that turns a device's MSI (DeviceID,
/// EventID) into an LPI, as a handle of its own.
///
/// `~Copyable` because it owns the device fd. A `VGIC` made with an ITS in its configuration
/// holds one (`VGIC.withITS`); `create(on:base:)` makes further ones (a VM may have several, each
/// with its own frame). Its registers are read and written by name through
/// `KVM_DEV_ARM_VGIC_GRP_ITS_REGS` (`ITSRegister`, GICVocabulary.docc/ITSRegisterMap.md), its tables
/// saved and restored through `GRP_CTRL` (VGIC.docc/ITS.md).
public struct ITS: ~Copyable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this owner.
    deinit {}

    let device: Device
    /// The ITS frame's guest physical base (128 KiB, 64 KiB aligned).
    public let base: UInt64

    init(device: consuming Device, base: UInt64) {
        self.device = device
        self.base = base
    }

    /// Creates an ITS on `vm`, places its frame at `base` and initialises it: `KVM_CREATE_DEVICE`
    /// (`KVM_DEV_TYPE_ARM_VGIC_ITS`), `KVM_VGIC_ITS_ADDR_TYPE`, `CTRL_INIT`.
    ///
    /// - Throws: `.configuration(.misaligned/.beyondIPA)` before any ioctl for a base the kernel
    ///   would refuse; `.itsUnsupportedByHost` (ENODEV); `.address(.its, …)` for the kernel's
    ///   refusal of the address. An overlap with another frame is not checked here (the kernel
    ///   does not check it either); `VGICConfiguration` checks it for the vgic's own ITS.
    public static func create(on vm: borrowing VirtualMachine, base: UInt64) throws(VGICError) -> ITS {
        if base % GICVersion.itsAlignment != 0 {
            throw .configuration(.misaligned(.its, base: base, alignment: GICVersion.itsAlignment))
        }
        let size = GICVersion.itsSize
        let limit: UInt64 = vm.ipaBits >= 64 ? UInt64.max : 1 << UInt64(vm.ipaBits)
        if base > limit || size > limit - base {
            throw .configuration(.beyondIPA(.its, base: base, size: size, ipaBits: vm.ipaBits))
        }
        let created: Device
        do throws(KVMError) {
            created = try vm.createDevice(.vgicITS)
        } catch {
            throw .creatingITS(error)
        }
        do throws(KVMError) {
            try created.set(.address(.its), to: base)
        } catch {
            throw .addressing(.its, error)
        }
        do throws(KVMError) {
            try created.perform(.control(.initialize))
        } catch {
            throw .kernel(error)
        }
        return ITS(device: created, base: base)
    }

    /// GITS_TRANSLATER's guest physical address: the doorbell an MSI for this ITS writes.
    public var doorbell: UInt64 { base + UInt64(ITSRegister.translaterOffset) }

    /// The MSI a device with `deviceID` sends for event `eventID` through this ITS.
    public func message(deviceID: UInt32, eventID: UInt32) -> MSIMessage {
        MSIMessage(address: doorbell, data: eventID, deviceID: deviceID)
    }

    /// Lends the device for attributes the typed API does not build (a misaligned offset, an
    /// unknown control attribute); the device stays owned by the ITS.
    public func withDevice<Result, Failure: Error>(
        _ body: (borrowing Device) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(device)
    }
}
