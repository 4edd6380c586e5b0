/// The kernel lines the model reproduces, where their userspace-visible vgic-v3 behaviour differs.
///
/// Each difference is written down here with the kernel change it reflects, as a property the
/// model consults instead of a silent tolerance. Found by running the differential fuzzer and the
/// attribute map on both lines in the lab (Debian 6.12.117 and Debian 7.3.4): everything else the
/// model covers behaves the same on both.
public enum KernelBehaviour: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Debian bookworm's 6.12.x kernels (`linux-image-6.12.*-arm64`).
    case debian6_12
    /// Linux 7.x (Debian sid and trixie-backports at the time of writing).
    case linux7

    /// The line a `uname -r` release belongs to: 7 and above is `.linux7`, anything older is
    /// `.debian6_12` (the only older line the lab boots); nil for a string that does not start
    /// with a number.
    public init?(release: String) {
        var major: UInt32 = 0
        var digits = 0
        for byte in release.utf8 {
            guard byte >= 48 && byte <= 57 else { break }
            major = major &* 10 &+ UInt32(byte - 48)
            digits += 1
        }
        guard digits > 0 else { return nil }
        self = major >= 7 ? .linux7 : .debian6_12
    }

    /// The errno of a userspace GICD_TYPER2 write, after CTRL_INIT, of a value other than the one
    /// KVM reports.
    ///
    /// 6.12: `vgic_mmio_uaccess_write_v3_misc` checks the value against `vgic_mmio_read_v3_misc`
    /// and returns -EINVAL. 7.x: since "KVM: arm64: vgic-v3: Allow userspace to write
    /// GICD_TYPER2.nASSGIcap" (c652887a9288, v6.17) userspace may choose nASSGIcap before
    /// CTRL_INIT, and afterwards the register is read-only: a change is -EBUSY ("Attempt to write
    /// a register that is read-only after initialization", arm-vgic-v3.rst, eed9b1420907).
    /// Both lines accept a write of the value they report. Observed in the lab on both kernels.
    public var typer2ChangeErrno: KernelErrno {
        switch self {
        case .debian6_12: .EINVAL
        case .linux7: .EBUSY
        }
    }

    /// Whether userspace may read and write GICD_IIDR and GICD_TYPER2 before CTRL_INIT.
    ///
    /// `vgic_v3_attr_regs_access` refuses every register access before `vgic_initialized` with
    /// -EBUSY. 7.x lets these two through (`reg_allowed_pre_init`, from the series that made
    /// nASSGIcap selectable), so a VMM can pick the implementation revision and nASSGIcap before
    /// the vgic sizes itself; 6.12 has no such exception. Observed in the lab: `DIST_REGS` TYPER2
    /// before CTRL_INIT is EBUSY on 6.12.117 and read and written on 7.3.4
    /// (`vgic_init.v3.nassgicap`).
    public var allowsIdentificationRegistersBeforeInit: Bool {
        switch self {
        case .debian6_12: false
        case .linux7: true
        }
    }

    public var description: String {
        switch self {
        case .debian6_12: "Debian 6.12"
        case .linux7: "Linux 7.x"
        }
    }
}
