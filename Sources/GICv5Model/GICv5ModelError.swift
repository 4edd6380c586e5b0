import GICVocabulary

/// The one error type of the GICv5 model: a value that does not fit, or an operation the model (and,
/// where noted, KVM) refuses in the current state.
///
/// Where KVM refuses the same request, the case documents the errno it gives, so a caller comparing
/// the model with the kernel can check that both fail the same way.
public enum GICv5ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `value` lies outside `allowed` for `what`.
    case outOfRange(what: Subject, value: UInt64, allowed: ClosedRange<UInt64>)
    /// `value` has bits set under `reservedMask`, which must be zero.
    case reservedBitsSet(what: Subject, value: UInt64, reservedMask: UInt64)
    /// A GICVocabulary value could not be built (an INTID field out of range, …).
    case value(GICValueError)
    /// There is no vCPU `index`; the VM has `count`.
    case noSuchVCPU(index: Int, count: Int)
    /// There is no SPI `id`; the IRS has `count` (IDs 0 to count − 1).
    case noSuchSPI(id: UInt32, count: Int)
    /// LPI `id` is outside the IST, which covers `idBits` ID bits.
    case noSuchLPI(id: UInt32, idBits: UInt8)
    /// The operation needs the vCPU stopped, and it is in the guest. (KVM: userspace attribute
    /// access while a vCPU runs fails with EBUSY.)
    case vcpuRunning(index: Int)
    /// `exitGuest` for a vCPU that was not entered.
    case vcpuNotRunning(index: Int)
    /// KVM has no userspace accessor for this register (ICC_HAPR_EL1, ICC_IAFFIDR_EL1, the C-variants
    /// of the PPI pending and active registers, …; errno ENXIO, as for an unknown GICv3 sysreg —
    /// **[unverified]** for the Sept-2026 GICv5 accessors).
    case unsupportedRegister(SysRegEncoding)
    /// A userspace register write after the vCPU first ran: "set writes are rejected after the
    /// first vCPU run" (divergence 9 in GICModel.docc/AttributeView.md; errno EBUSY **[unverified]**).
    case writeAfterFirstRun(vcpu: Int)

    /// What a rejected value was meant to be.
    public enum Subject: String, Hashable, Sendable {
        case interruptStateTableEntry = "L2 ISTE"
        case istLevel1Entry = "L1 ISTE"
        case istLevel1Address = "L1 ISTE L2 address"
        case istConfig = "IRS_IST_CFGR"
        case istIDBits = "IRS_IST_CFGR.LPI_ID_BITS"
        case istLevel2Size = "IRS_IST_CFGR.L2SZ"
        case istEntrySize = "IRS_IST_CFGR.ISTSZ"
        case commandOperand = "GIC CD* operand"
        case priorityBits = "implemented priority bits"
        case vcpuCount = "vCPU count"
    }

    public var description: String {
        switch self {
        case let .outOfRange(what, value, allowed):
            return "\(what.rawValue): \(hex(value)) is out of range \(hex(allowed.lowerBound))...\(hex(allowed.upperBound))"
        case let .reservedBitsSet(what, value, mask):
            return "\(what.rawValue): \(hex(value)) sets reserved bits \(hex(value & mask))"
        case let .value(error):
            return error.description
        case let .noSuchVCPU(index, count):
            return "no vCPU \(index); the VM has \(count)"
        case let .noSuchSPI(id, count):
            return "no SPI \(id); the IRS has \(count)"
        case let .noSuchLPI(id, idBits):
            return "LPI \(id) is outside the \(idBits)-bit IST"
        case let .vcpuRunning(index):
            return "vCPU \(index) is running"
        case let .vcpuNotRunning(index):
            return "vCPU \(index) is not running"
        case let .unsupportedRegister(encoding):
            return "no userspace accessor for sysreg instr \(hex(encoding.instr))"
        case let .writeAfterFirstRun(vcpu):
            return "vCPU \(vcpu) has run; userspace writes are refused"
        }
    }
}
