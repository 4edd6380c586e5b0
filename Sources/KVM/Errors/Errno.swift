import CKVM

/// A POSIX error number as the kernel returned it.
///
/// A struct rather than a bare `Int32` so an errno can never be confused with an fd, a count or
/// a register value. The named constants are the ones KVM's vgic code documents (EINVAL, ENXIO,
/// E2BIG, EEXIST, EBUSY, ENODEV, ...); their values come from the C headers, not from Swift.
public struct Errno: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let EPERM = Errno(rawValue: CKVM_EPERM)
    public static let ENOENT = Errno(rawValue: CKVM_ENOENT)
    public static let EINTR = Errno(rawValue: CKVM_EINTR)
    public static let EIO = Errno(rawValue: CKVM_EIO)
    public static let ENXIO = Errno(rawValue: CKVM_ENXIO)
    public static let E2BIG = Errno(rawValue: CKVM_E2BIG)
    public static let EBADF = Errno(rawValue: CKVM_EBADF)
    public static let EAGAIN = Errno(rawValue: CKVM_EAGAIN)
    public static let ENOMEM = Errno(rawValue: CKVM_ENOMEM)
    public static let EACCES = Errno(rawValue: CKVM_EACCES)
    public static let EFAULT = Errno(rawValue: CKVM_EFAULT)
    public static let EBUSY = Errno(rawValue: CKVM_EBUSY)
    public static let EEXIST = Errno(rawValue: CKVM_EEXIST)
    public static let ENODEV = Errno(rawValue: CKVM_ENODEV)
    public static let EINVAL = Errno(rawValue: CKVM_EINVAL)
    public static let ENOTTY = Errno(rawValue: CKVM_ENOTTY)
    public static let ENOSPC = Errno(rawValue: CKVM_ENOSPC)
    public static let ERANGE = Errno(rawValue: CKVM_ERANGE)
    public static let ENOSYS = Errno(rawValue: CKVM_ENOSYS)
    public static let EOPNOTSUPP = Errno(rawValue: CKVM_EOPNOTSUPP)

    /// Names for messages, as data.
    static let names: [(Errno, String)] = [
        (.EPERM, "EPERM"), (.ENOENT, "ENOENT"), (.EINTR, "EINTR"), (.EIO, "EIO"),
        (.ENXIO, "ENXIO"), (.E2BIG, "E2BIG"), (.EBADF, "EBADF"), (.EAGAIN, "EAGAIN"),
        (.ENOMEM, "ENOMEM"), (.EACCES, "EACCES"), (.EFAULT, "EFAULT"), (.EBUSY, "EBUSY"),
        (.EEXIST, "EEXIST"), (.ENODEV, "ENODEV"), (.EINVAL, "EINVAL"), (.ENOTTY, "ENOTTY"),
        (.ENOSPC, "ENOSPC"), (.ERANGE, "ERANGE"), (.ENOSYS, "ENOSYS"),
        (.EOPNOTSUPP, "EOPNOTSUPP"),
    ]

    /// The symbolic name, or nil for an errno outside the table.
    public var name: String? {
        for (errno, name) in Errno.names where errno == self { return name }
        return nil
    }

    public var description: String {
        if let name { return "\(name) (\(rawValue))" }
        return "errno \(rawValue)"
    }
}
