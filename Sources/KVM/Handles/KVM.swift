/// The KVM system handle (`/dev/kvm`).
///
/// Opening works on any Linux KVM, so a tool can say *why* it cannot go on; everything that
/// would send an arm64 ioctl (creating a VM, reading the IPA limit) first checks that the
/// kernel is arm64 and throws `KVMError.notArm64` otherwise, before any such ioctl is issued.
public struct KVM: ~Copyable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this
    /// owner: the members' own deinits close the fd and unmap memory.
    deinit {}

    let fd: FileDescriptor
    /// The kernel's architecture as `uname -m` reports it (`aarch64` for arm64).
    public let machine: String
    /// `KVM_GET_API_VERSION`, checked to be 12 at open.
    public let apiVersion: Int

    /// The uAPI version every KVM since Linux 2.6.22 reports.
    public static let expectedAPIVersion = 12

    /// Opens `/dev/kvm` (or `path`) and checks the API version.
    public static func open(
        path: String = "/dev/kvm", interface: KernelInterface = .live
    ) throws(KVMError) -> KVM {
        let result = interface.open(path)
        if result < 0 { throw KVMError.kernel(Errno(rawValue: -result), Attempt(.open)) }
        let fd = FileDescriptor(raw: result, interface: interface)
        let attempt = Attempt(.getAPIVersion)
        let version = try fd.ioctl(attempt, value: 0)
        guard version == KVM.expectedAPIVersion else {
            throw KVMError.unexpectedAnswer(attempt, value: Int64(version))
        }
        // `uname` alone can lie: under qemu-user an arm64 program sees "aarch64" while its
        // ioctls reach the host's x86 KVM. So an arm64 KVM must also answer an arm64-only
        // capability: every arm64 KVM offers PSCI 0.2; other architectures answer 0 to
        // its number (KVM_CHECK_EXTENSION itself is generic and safe to send anywhere).
        let machine = interface.machine()
        var isArm64 = false
        if machine == "aarch64" || machine == "arm64" {
            let psci = Attempt(.checkExtension, argument: UInt64(Capability.armPSCI02.rawValue))
            isArm64 = try fd.ioctl(psci, value: UInt(Capability.armPSCI02.rawValue)) > 0
        }
        return KVM(fd: fd, machine: machine, apiVersion: version, isArm64: isArm64)
    }

    /// True when this is an arm64 KVM, the only kind this package drives: the kernel says
    /// aarch64 *and* answers an arm64-only capability.
    public let isArm64: Bool

    var isArm64Name: Bool { machine == "aarch64" || machine == "arm64" }

    /// Throws `notArm64` unless this is an arm64 KVM; called before every arm64 ioctl.
    func requireArm64(_ attempt: Attempt) throws(KVMError) {
        if !isArm64 {
            let name = isArm64Name ? machine + " (but not answering arm64 capabilities)" : machine
            throw KVMError.notArm64(machine: name, refused: attempt)
        }
    }

    /// `KVM_CHECK_EXTENSION` on the system fd. Capability numbers are generic uAPI, but an
    /// arm64 capability asked of another architecture's KVM is refused (its number may mean
    /// something else there, or nothing).
    public func checkExtension(_ capability: Capability) throws(KVMError) -> Int {
        let attempt = Attempt(.checkExtension, argument: UInt64(capability.rawValue))
        if capability.isArm64Specific { try requireArm64(attempt) }
        return try fd.ioctl(attempt, value: UInt(capability.rawValue))
    }

    /// The largest IPA size (bits) a VM may ask for (`KVM_CAP_ARM_VM_IPA_SIZE`); 0 on kernels
    /// that predate configurable IPA sizes, which means 40 bits only.
    public func ipaLimit() throws(KVMError) -> Int {
        try checkExtension(.armVMIPASize)
    }

    /// `KVM_GET_VCPU_MMAP_SIZE`: the size of each vCPU's `kvm_run` mapping.
    public func vcpuMmapSize() throws(KVMError) -> Int {
        try fd.ioctl(Attempt(.getVCPUMmapSize), value: 0)
    }

    /// `KVM_CREATE_VM` with the IPA-size machine type.
    ///
    /// - Parameter ipaBits: `nil` for the default 40-bit IPA, or 32 ... `ipaLimit()` (which
    ///   costs one extra `KVM_CHECK_EXTENSION`).
    /// - Throws: `.notArm64` on another architecture's KVM; `.invalidArgument(.ipaSize)` for a
    ///   size the host cannot give (checked before the ioctl); `.kernel` otherwise.
    public func createVM(ipaBits: Int? = nil) throws(KVMError) -> VirtualMachine {
        var attempt = Attempt(.createVM, argument: UInt64(ipaBits ?? 0))
        try requireArm64(attempt)
        var type: UInt = 0
        var effectiveBits = 40
        if let bits = ipaBits {
            let limit = try ipaLimit()
            // A limit of 0 means the kernel predates configurable IPA sizes: only the default.
            guard limit > 0, bits >= 32, bits <= limit else {
                throw KVMError.invalidArgument(attempt, reason: .ipaSize(requested: bits, hostLimit: limit))
            }
            type = UInt(bits) & 0xff
            effectiveBits = bits
            attempt.argument = UInt64(type)
        }
        let mmapSize = try vcpuMmapSize()
        let vm = try fd.adopt(try fd.ioctl(attempt, value: type), attempt)
        let layoutAttempt = Attempt(.checkExtension, argument: UInt64(Capability.armIRQLineLayout2.rawValue))
        let layout2 = try vm.ioctl(layoutAttempt, value: UInt(Capability.armIRQLineLayout2.rawValue)) > 0
        return VirtualMachine(
            fd: vm, ipaBits: effectiveBits, vcpuMmapSize: mmapSize, supportsIRQLineLayout2: layout2)
    }
}

extension Capability {
    /// Capabilities whose number only has a meaning on arm64.
    var isArm64Specific: Bool {
        switch self {
        case .armPSCI02, .armVMIPASize, .armIRQLineLayout2, .armEL2: true
        default: false
        }
    }
}
