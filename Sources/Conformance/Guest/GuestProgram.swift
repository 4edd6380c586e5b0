/// A tiny guest: code loaded at the start of a RAM slot, run from there with the MMU off.
///
/// Every program ends by asking KVM's PSCI firmware to power the system off
/// (`SYSTEM_OFF` → `KVM_EXIT_SYSTEM_EVENT`), so a run that the scenario expected to fail but
/// that enters the guest anyway comes back instead of spinning until the lab's timeout.
struct GuestProgram {
    /// Instruction words, in order.
    let words: [UInt32]

    /// Where the lab's guests live: guest RAM at 1 GiB (clear of every GIC frame address the
    /// scenarios use, all below 16 MiB or near the IPA top), 64 KiB of it.
    static let ramBase: UInt64 = 0x4000_0000
    static let ramBytes = 0x1_0000
    /// An address no memory slot backs and no GIC frame covers: stores to it exit to userspace.
    static let mmioAddress: UInt64 = 0x0A00_0000

    /// PSCI 0.2 `SYSTEM_OFF` function id (SMC32 calling convention).
    static let psciSystemOff: UInt64 = 0x8400_0008
    /// `KVM_SYSTEM_EVENT_SHUTDOWN`, what SYSTEM_OFF exits with.
    static let systemEventShutdown: UInt32 = 1

    /// Stores each of `values` (32-bit) to `mmioAddress`, one MMIO exit each, then powers off.
    static func reporting(_ values: [UInt32]) -> GuestProgram {
        let x0 = A64.Register(0), x1 = A64.Register(1)
        var words = A64.load(x0, mmioAddress)
        for value in values {
            words += A64.load(x1, UInt64(value))
            words.append(A64.str32(x1, base: x0))
        }
        return GuestProgram(words: words + powerOff)
    }

    /// `x0 = SYSTEM_OFF; hvc #0`, then a branch-to-self in case the call returns.
    static var powerOff: [UInt32] {
        A64.load(A64.Register(0), psciSystemOff) + [A64.hvc(0), A64.branch(by: 0)]
    }
}
