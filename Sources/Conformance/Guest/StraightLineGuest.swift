import GuestHarness

/// A straight-line guest without the harness runtime: a few instructions at the start of a RAM
/// slot, run with the MMU off, for the scenarios that only need a vCPU to enter, exit and stop
/// (vgic_init's run checks, `vcpu_run.*`). Guests that take interrupts use the harness
/// (`GuestMachine`).
///
/// Every program ends by asking KVM's PSCI firmware to power the system off
/// (`SYSTEM_OFF` → `KVM_EXIT_SYSTEM_EVENT`), so a run that the scenario expected to fail but
/// that enters the guest anyway comes back instead of spinning until the lab's timeout.
/// Built with the harness's assembler, whose every encoding is pinned against GNU as.
struct StraightLineGuest {
    /// Instruction words, in order (empty if the program did not assemble).
    let words: [UInt32]
    /// Why the program did not assemble (a defect in the scenario that built it).
    let problem: A64AssemblyError?

    /// Where these guests live: guest RAM at 1 GiB (clear of every GIC frame address the
    /// scenarios use, all below 16 MiB or near the IPA top), 64 KiB of it.
    static let ramBase: UInt64 = 0x4000_0000
    static let ramBytes = 0x1_0000
    /// An address no memory slot backs and no GIC frame covers: stores to it exit to userspace.
    static let mmioAddress: UInt64 = 0x0A00_0000

    /// PSCI 0.2 `SYSTEM_OFF` function id (SMC32 calling convention).
    static let psciSystemOff: UInt64 = 0x8400_0008
    /// `KVM_SYSTEM_EVENT_SHUTDOWN`, what SYSTEM_OFF exits with.
    static let systemEventShutdown: UInt32 = 1

    /// The program `body` writes, followed by the power-off.
    static func assembled(_ body: (inout A64Assembler) -> Void) -> StraightLineGuest {
        var asm = A64Assembler()
        body(&asm)
        powerOff(&asm)
        do throws(A64AssemblyError) {
            return StraightLineGuest(words: try asm.assemble().words, problem: nil)
        } catch {
            return StraightLineGuest(words: [], problem: error)
        }
    }

    /// Stores each of `values` (32-bit) to `mmioAddress`, one MMIO exit each, then powers off.
    static func reporting(_ values: [UInt32]) -> StraightLineGuest {
        assembled { asm in
            asm.mov(.x0, mmioAddress)
            for value in values {
                asm.mov(.x1, UInt64(value))
                asm.str(.word, .x1, base: .x0)
            }
        }
    }

    /// `x0 = SYSTEM_OFF; hvc #0`, then a branch to itself in case the call returns.
    static func powerOff(_ asm: inout A64Assembler) {
        asm.mov(.x0, psciSystemOff)
        asm.hvc(0)
        let halt = asm.label("halt")
        asm.bind(halt)
        asm.b(halt)
    }
}
