/// An error number as the kernel's vgic attribute and `KVM_IRQ_LINE` paths return it, as the
/// model names it.
///
/// GICModel depends on the GIC vocabulary only, so it cannot use `KVM.Errno` (whose values come
/// from the C headers); the named values here are the asm-generic ones every arm64 Linux uses, and
/// the checked device compares them with the kernel's errno by raw value. Any other number the
/// kernel might return is representable too, so an unexpected errno is reported, not lost.
public struct KernelErrno: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// No such register in the CPU_SYSREGS table, or one hidden from this vCPU
    /// (`kvm_sys_reg_{get,set}_user`).
    public static let ENOENT = KernelErrno(rawValue: 2)
    /// HAS_DEVICE_ATTR of an offset in no register region; a CPU line with an in-kernel GIC.
    public static let ENXIO = KernelErrno(rawValue: 6)
    /// An address beyond the VM's IPA space (`vgic_check_iorange`).
    public static let E2BIG = KernelErrno(rawValue: 7)
    /// A bad user pointer (the model has no pointers, so it never says this).
    public static let EFAULT = KernelErrno(rawValue: 14)
    /// A vCPU is running or the vgic is not initialised.
    public static let EBUSY = KernelErrno(rawValue: 16)
    /// A frame address set twice (`vgic_check_iorange`), a second legacy redistributor block.
    public static let EEXIST = KernelErrno(rawValue: 17)
    /// A selector that names no vCPU, a value the kernel refuses, an INTID outside the VM.
    public static let EINVAL = KernelErrno(rawValue: 22)

    static let names: [(KernelErrno, String)] = [
        (.ENOENT, "ENOENT"), (.ENXIO, "ENXIO"), (.E2BIG, "E2BIG"), (.EFAULT, "EFAULT"), (.EBUSY, "EBUSY"),
        (.EEXIST, "EEXIST"), (.EINVAL, "EINVAL"),
    ]

    /// The symbolic name, or nil for a number outside the table.
    public var name: String? {
        for (errno, name) in Self.names where errno == self { return name }
        return nil
    }

    public var description: String { name ?? "errno \(rawValue)" }

    /// `.EINVAL`, or `KernelErrno(rawValue: n)` for an unnamed one.
    public var swiftSource: String {
        if let name { return "." + name }
        return "KernelErrno(rawValue: \(rawValue))"
    }
}
