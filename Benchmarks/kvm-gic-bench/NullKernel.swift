import CNullKernel
import KVM

/// The benchmark's kernel: a `SyscallSimulator` that records nothing and answers the two
/// measured requests, `KVM_IRQ_LINE` and `KVM_GET_DEVICE_ATTR`, with `cnull_ioctl`, the same
/// null C function the C loops call; everything else (the setup of the VM, vCPU and vgic)
/// gets the simulator's answers.
///
/// So the Swift count is the package's path from the public call down to the choke point
/// (`KernelInterface`), plus the simulator's dispatch where a live kernel would call
/// `ckvm_ioctl_pointer`; the C count is the marshalling of the lab's baseline loop. The
/// simulator's GET answer for an attribute nobody set is zeroes, which is also what the null
/// function leaves in the zeroed buffer, so a GET in the setup would read the same.
final class NullKernel: SyscallSimulator, @unchecked Sendable {
    init() {
        super.init(recordsIoctls: false)
    }

    override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
        switch attempt.request {
        case .irqLine, .getDeviceAttr: cnull_ioctl(fd, 0, argument)
        default: super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
        }
    }
}
