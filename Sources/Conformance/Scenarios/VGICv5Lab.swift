import GICVocabulary
import KVM
import VGIC

/// What the `vgic_v5.*` scenarios share: the skip that makes them run unchanged on hosts with
/// and without GICv5, and the ID register the GICv5 CPU interface is advertised in.
enum VGICv5Lab {
    /// The skip reason on every host without GICv5, which is every host QEMU can emulate with
    /// EL2 (Conformance.docc/RealKernelLab.md): the kernel registers the V5 device only on a GICv5 host.
    static let noGICv5 = "host has no GICv5 (KVM_CREATE_DEVICE test: ENODEV)"

    /// `ID_AA64PFR2_EL1` (op0 3, op1 0, CRn 0, CRm 4, op2 2).
    static let idAA64PFR2 = OneRegister.systemRegister(SysRegEncoding(instr: 3 << 14 | 0 << 11 | 0 << 7 | 4 << 3 | 2))

    /// `ID_AA64PFR2_EL1.GCIE`, bits 15:12: 0b0001 when the GICv5 CPU interface is implemented.
    static func gcie(_ pfr2: UInt64) -> UInt64 { (pfr2 >> 12) & 0xF }

    /// Runs `body` on a fresh VM with `vcpus` initialised vCPUs, or skips with `noGICv5` when
    /// the host cannot create a vgic-v5 (asked with `KVM_CREATE_DEVICE_TEST`, as `vgic_v5.c`
    /// does before its tests).
    static func onGICv5Host(
        _ context: ScenarioContext, vcpus: UInt32, _ body: (borrowing VirtualMachine, [VCPUIdentity]) throws(VGICError) -> Outcome
    ) -> Outcome {
        VGICInitLab.withVM(context, vcpus: vcpus) { vm, identities throws(VGICError) in
            guard try vm.canCreate(.v5) else { return .skip(noGICv5) }
            return try body(vm, identities)
        }
    }

    /// Creates and initialises vCPU `id` and reads one of its registers (`KVM_GET_ONE_REG`
    /// needs an initialised vCPU: ENOEXEC before `KVM_ARM_VCPU_INIT`).
    static func readRegister(_ register: OneRegister, ofNewVCPU id: UInt32, on vm: borrowing VirtualMachine) throws(VGICError) -> UInt64 {
        do throws(KVMError) {
            let target = try vm.preferredTarget()
            let vcpu = try vm.createVCPU(id: id)
            try vcpu.initialize(target)
            return try vcpu.get(register)
        } catch {
            throw .kernel(error)
        }
    }

    /// Whether `text` contains `part` (byte-wise: Embedded Swift has no `String.contains`).
    static func mentions(_ text: String, _ part: String) -> Bool {
        ScenarioFilter.matches(text, part)
    }
}

extension Expect {
    /// The typed pre-ioctl refusal `problem`.
    static func configuration(_ problem: VGICProblem) -> (VGICError) -> Bool {
        { $0 == .configuration(problem) }
    }

    /// `.unsupportedByHost(version, ENODEV)`: the kernel was asked and said no such device.
    static func unsupported(_ version: GICVersion) -> (VGICError) -> Bool {
        { error in
            if case .unsupportedByHost(let v, let kvm) = error { return v == version && kvm?.errno == .ENODEV }
            return false
        }
    }
}
