import GICVocabulary
import GuestHarness

/// Guest steps and trace readings the guest families share: a GIC driver's recurring moves
/// (EOImode 1, completing an interrupt, a bounded wait for the handler), each appended as
/// plain `GuestOp`s, so the scenarios stay data the model executor runs as well.
extension GuestScript {
    /// ICC_CTLR_EL1.EOImode = 1 by the guest itself: read, OR 2, write back (the other fields
    /// as the CPU interface reports them).
    mutating func setEOIMode1() {
        append(.read(.iccCTLR))
        append(.or(.immediate(2)))
        append(.write(.iccCTLR, .accumulator))
    }

    /// Completes the interrupt in the accumulator: EOIR1 (EOIR0) and, in EOImode 1, DIR.
    mutating func complete(eoiMode1: Bool, group1: Bool = true) {
        endOfInterrupt(group1: group1)
        if eoiMode1 { deactivate() }
    }

    /// Logs a bit of a one-bit-per-interrupt register for a fixed INTID (ISACTIVER 0x300,
    /// ISPENDR 0x200, …) as the guest reads it through MMIO.
    mutating func observeBit(offset: UInt32, intid: UInt32, as tag: GuestLogTag) {
        append(.readBit(offset: offset, intid: .immediate(UInt64(intid))))
        append(.log(tag, .accumulator))
    }

    /// Logs IAR1 (as `observed`) and HPPIR1 (as `highestPending`): both 1023 when nothing is
    /// pending. The IAR read acknowledges whatever is there, which a check then reports.
    mutating func observeNothingPending() {
        observe(.iccHPPIR1, as: .highestPending)
        observe(.iccIAR1)
    }

    /// Opens the IRQ window until `counter` (which the handler increments) reaches `count`, at
    /// most `attempts` loop turns; a window that closes short logs `gaveUp` with the attempts.
    /// For interrupts that arrive after an exit the guest does not make itself (a timer, a
    /// maintenance interrupt), where one unmask–mask pair could close too early.
    mutating func takeInterrupts(until counter: UInt8, reaches count: UInt64, attempts: UInt64 = 200_000, scratch: UInt8 = 14) {
        let again = label()
        let done = label()
        let reached = label()
        append(.unmask(.irq))
        append(.store(variable: scratch, .immediate(attempts)))
        bind(again)
        append(.set(.variable(counter)))
        append(.jumpIf(.aboveOrEqual, .immediate(count), reached))
        append(.set(.variable(scratch)))
        append(.subtract(.immediate(1)))
        append(.store(variable: scratch, .accumulator))
        append(.jumpIf(.notEqual, .immediate(0), again))
        append(.log(.gaveUp, .immediate(attempts)))
        append(.jump(done))
        bind(reached)
        bind(done)
        append(.mask(.irq))
    }
}

extension GuestTrace {
    /// vCPU `vcpu`'s log entries tagged `tag`, in order.
    func entries(_ tag: GuestLogTag, of vcpu: Int) -> [GuestLogEntry] {
        events.compactMap { event in
            guard case .logged(vcpu, let entry) = event, entry.tag == tag else { return nil }
            return entry
        }
    }

    /// The handler depth of each acknowledgement of vCPU `vcpu` (1 in a handler, 2 nested, …;
    /// 0 for a poll in the main program).
    func acknowledgementDepths(of vcpu: Int) -> [UInt8] {
        entries(.acknowledged, of: vcpu).map { $0.depth }
    }

    /// Each acknowledgement of vCPU `vcpu` with the program that made it, as `fiq:40` or `irq:41`
    /// (`main:42` for a poll), so a check says through which exception an interrupt came.
    func acknowledgementPrograms(of vcpu: Int) -> [String] {
        entries(.acknowledged, of: vcpu).map { "\($0.program):\($0.value)" }
    }

    /// How many polls of vCPU `vcpu` gave up.
    func giveUps(of vcpu: Int) -> Int { entries(.gaveUp, of: vcpu).count }
}

/// Facts about the lab's host the guest checks rely on, in one place.
enum GuestHost {
    /// List registers of the lab's CPU interface: QEMU 7.2 `-cpu max` is an A57 with extras
    /// (`target/arm/cpu64.c` `aarch64_a57_initfn`: `gic_num_lrs = 4`), so ICH_VTR_EL2.ListRegs
    /// = 3 and KVM's `nr_lr` = 4 (`vgic_v3_probe`). `guest.overflow.list_registers` infers it on
    /// 6.12 (Conformance.docc/GuestDelivery.md).
    static let listRegisters = 4

    /// The APR bit of a priority with 5 preemption bits: bit n is group priority n << 3.
    static func activePriorityBit(_ priority: UInt8) -> UInt64 { UInt64(1) << UInt64(priority >> 3) }

    /// The `KVM_IRQ_LINE` word of an SPI (type 1) with this number field, unchecked.
    static func spiLineWord(_ intid: UInt32) -> UInt32 { 1 << 24 | intid & 0xFFFF }

    /// The `KVM_IRQ_LINE` word of a PPI (type 2) of vCPU `vcpu` with this number field, unchecked.
    static func ppiLineWord(_ intid: UInt32, vcpu: UInt32 = 0) -> UInt32 { 2 << 24 | (vcpu & 0xFF) << 16 | intid & 0xFFFF }
}
