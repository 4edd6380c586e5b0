import GICModel
import GICv5Model
import KVM

extension ModelRefusal {
    /// The ioctl result the kernel returns for this refusal: `-errno`.
    var ioctlResult: Int { -Int(errno.rawValue) }
}

/// 0, or the `-errno` of the refusal `body` throws: the model's answer as an ioctl result.
func ioctlResult(_ body: () throws(ModelRefusal) -> Void) -> Int {
    do throws(ModelRefusal) {
        try body()
        return 0
    } catch {
        return error.ioctlResult
    }
}

/// `-errno` for a kernel error number.
func failure(_ errno: Errno) -> Int { -Int(errno.rawValue) }
