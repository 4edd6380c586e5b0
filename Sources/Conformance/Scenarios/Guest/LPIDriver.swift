import GICVocabulary
import GuestHarness

/// What a guest's GICv3 ITS driver does, as guest steps: its property and pending tables in RAM,
/// the redistributors' GICR_PROPBASER / PENDBASER / CTLR.EnableLPIs, the ITS's GITS_BASER0/1,
/// GITS_CBASER and GITS_CTLR, and ITS commands written into the command queue in guest memory
/// (32 bytes each, `ITSCommand.words`) and published by advancing GITS_CWRITER.
///
/// Every access is a 32-bit store or load the guest makes (`GuestOp.mmioWrite(.absolute, …)`):
/// to RAM (no exit; KVM reads the queue and the tables with `kvm_read_guest`) or to a GIC frame
/// (a trap KVM handles in the kernel). 64-bit registers are written low word first, as KVM
/// allows for GITS_BASER, GITS_CBASER, GITS_CWRITER and GICR_PROPBASER/PENDBASER
/// (`VGIC_ACCESS_32bit`). The driver's bookkeeping (which slot is next, which property byte each
/// LPI has) is build-time state: the program it produces is straight-line.
struct LPIDriver {
    /// vCPUs whose redistributors the driver brings up.
    let vcpuCount: Int
    /// Commands written so far (the next slot is `written % queueSlots`).
    private(set) var written = 0
    /// Each LPI's property byte as the guest last stored it.
    private(set) var properties: [UInt32: UInt8] = [:]

    init(vcpuCount: Int) {
        self.vcpuCount = vcpuCount
    }

    /// The address of vCPU `vcpu`'s RD_base frame.
    static func redistributor(_ vcpu: Int) -> UInt64 { GuestMachine.redistributor(vcpu) }

    // MARK: Stores

    /// A 32-bit store at guest-physical `address`.
    static func store(_ script: inout GuestScript, _ address: UInt64, _ word: UInt32) {
        script.append(.mmioWrite(.absolute, offset: UInt32(truncatingIfNeeded: address), .immediate(UInt64(word))))
    }

    /// A 64-bit register as two 32-bit stores, low word first.
    static func store64(_ script: inout GuestScript, _ address: UInt64, _ value: UInt64) {
        store(&script, address, UInt32(truncatingIfNeeded: value))
        store(&script, address + 4, UInt32(truncatingIfNeeded: value >> 32))
    }

    // MARK: Bring-up

    /// Linux's order (`its_probe_one`, `its_cpu_init_lpis`): the property bytes of `lpis`
    /// (`disabled` ones with enable 0), the ITS's tables and queue, the ITS enabled, then each
    /// redistributor's PROPBASER, PENDBASER and EnableLPIs.
    mutating func bringUp(_ script: inout GuestScript, lpis: [UInt32], disabled: Set<UInt32> = []) {
        for lpi in lpis {
            properties[lpi] = disabled.contains(lpi) ? LPIGuestLayout.disabledProperty : LPIGuestLayout.enabledProperty
        }
        var words = Set<UInt32>()
        for lpi in lpis { words.insert((lpi - LPIGuestLayout.firstLPI) / 4) }
        for word in words.sorted() { storePropertyWord(&script, word) }

        let valid: UInt64 = 1 << 63
        Self.store64(&script, LabLayout.its + UInt64(ITSRegister.gitsBASER.offset), valid | LPIGuestLayout.deviceTable)
        Self.store64(&script, LabLayout.its + UInt64(ITSRegister.gitsBASER.offset) + 8, valid | LPIGuestLayout.collectionTable)
        Self.store64(
            &script, LabLayout.its + UInt64(ITSRegister.gitsCBASER.offset),
            valid | LPIGuestLayout.commandQueue | UInt64(LPIGuestLayout.commandQueuePages - 1))
        Self.store(&script, LabLayout.its + UInt64(ITSRegister.gitsCTLR.offset), 1)

        for vcpu in 0..<vcpuCount {
            let base = Self.redistributor(vcpu)
            Self.store64(&script, base + UInt64(GICv3Register.gicrPROPBASER.offset), LPIGuestLayout.propertyTable | (LPIGuestLayout.idBits - 1))
            Self.store64(&script, base + UInt64(GICv3Register.gicrPENDBASER.offset), LPIGuestLayout.pendingTable(vcpu))
            Self.store(&script, base + UInt64(GICv3Register.gicrCTLR.offset), 1)
        }
    }

    /// Sets `lpi`'s property byte (enable or not) by storing the word that holds it; the ITS sees
    /// it only after an INV or INVALL.
    mutating func setEnabled(_ script: inout GuestScript, _ lpi: UInt32, _ enabled: Bool) {
        properties[lpi] = enabled ? LPIGuestLayout.enabledProperty : LPIGuestLayout.disabledProperty
        storePropertyWord(&script, (lpi - LPIGuestLayout.firstLPI) / 4)
    }

    /// The property-table word `index` (LPIs 8192 + 4 × index …) as the driver's bytes say.
    private func storePropertyWord(_ script: inout GuestScript, _ index: UInt32) {
        var word: UInt32 = 0
        for byte in 0..<UInt32(4) {
            word |= UInt32(properties[LPIGuestLayout.firstLPI + 4 * index + byte] ?? 0) << (8 * byte)
        }
        Self.store(&script, LPIGuestLayout.propertyTable + UInt64(4 * index), word)
    }

    // MARK: Commands

    /// Writes `commands` into the next queue slots, advances GITS_CWRITER past them (KVM runs the
    /// queue in that trap) and logs GITS_CREADR as `observed`: equal to CWRITER once every command
    /// was consumed.
    mutating func send(_ commands: [ITSCommand], _ script: inout GuestScript) {
        for command in commands {
            let slot = LPIGuestLayout.commandQueue + UInt64(written % LPIGuestLayout.queueSlots * ITSCommand.size)
            for (index, word) in command.words.enumerated() { Self.store64(&script, slot + UInt64(8 * index), word) }
            written += 1
        }
        Self.store(&script, LabLayout.its + UInt64(ITSRegister.gitsCWRITER.offset), writeOffset)
        script.append(.mmioRead(.absolute, offset: UInt32(LabLayout.its) + ITSRegister.gitsCREADR.offset))
        script.append(.log(.observed, .accumulator))
    }

    /// GITS_CWRITER after the commands written so far.
    var writeOffset: UInt32 { UInt32(written % LPIGuestLayout.queueSlots * ITSCommand.size) }
}

extension GuestScript {
    /// The handler of the LPI cases: acknowledge (logged), EOI, and count the interrupt in
    /// variable `counter` (a spurious 1023 is logged but neither EOI'd nor counted).
    static func countingHandler(counter: UInt8 = 1) -> GuestScript {
        var handler = GuestScript()
        let done = handler.label()
        handler.acknowledge()
        handler.append(.jumpIf(.equal, .immediate(1023), done))
        handler.endOfInterrupt()
        handler.append(.increment(variable: counter))
        handler.bind(done)
        handler.append(.end)
        return handler
    }

    /// Waits until the handler has counted `count` interrupts in `counter`: WFI (which returns at
    /// once if one is pending, and otherwise blocks the vCPU until KVM kicks it — an irqfd on an
    /// MSI route may inject from a kernel worker after the host call returned), then an interrupt
    /// window, until the count is reached. An interrupt that never comes is a hung vCPU.
    mutating func waitForInterrupts(count: UInt64, counter: UInt8 = 1) {
        let again = label()
        let done = label()
        bind(again)
        append(.set(.variable(counter)))
        append(.jumpIf(.aboveOrEqual, .immediate(count), done))
        append(.waitForInterrupt)
        takeInterrupts()
        append(.jump(again))
        bind(done)
    }
}
