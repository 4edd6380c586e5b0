import GICVocabulary

/// A small A64 assembler: labels, forward branches, and the instructions the guest runtime
/// needs, each encoded from the Arm ARM (DDI 0487, chapter C6) and written with the line GNU as
/// reads for it, so every program it builds can be checked against binutils word for word.
///
/// Building reads as a listing: each method appends one instruction (or, for `mov`, the
/// MOVZ/MOVK sequence). Nothing traps on a bad operand: the first problem is recorded and
/// `assemble()` throws it.
///
/// Why an assembler rather than an Embedded Swift payload for the guest: the guest runs at EL1
/// with the MMU off, where every data access is Device memory (no unaligned accesses, no
/// exclusives) and a compiler's freedom over loads and stores is a liability; the interpreter is
/// a few hundred instructions written once, its every word pinned against GNU as, and the
/// scenarios themselves are data (`GuestOp`) that the model executes too.
public struct A64Assembler {
    enum Fixup {
        case branch(link: Bool)
        case conditional(A64Condition)
        case compareAndBranch(A64Register, nonZero: Bool)
        case testAndBranch(A64Register, bit: UInt32, nonZero: Bool)
        case address(A64Register)
    }

    private var instructions: [A64Instruction] = []
    private var labelNames: [String] = []
    private var bound: [Int: Int] = [:]
    private var fixups: [(index: Int, label: A64Label, kind: Fixup)] = []
    private var firstError: A64AssemblyError?

    public init() {}

    /// The number of words emitted so far (the next instruction's index).
    public var count: Int { instructions.count }

    // MARK: Labels

    /// A new label; `name` becomes its symbol (made unique with its number).
    public mutating func label(_ name: String) -> A64Label {
        let label = A64Label(id: labelNames.count, name: "\(name)_\(labelNames.count)")
        labelNames.append(label.name)
        return label
    }

    /// Binds `label` to the next instruction.
    public mutating func bind(_ label: A64Label) {
        if bound[label.id] != nil { record(.reboundLabel(label.name)) }
        bound[label.id] = instructions.count
    }

    /// Pads with NOPs until the next instruction's byte offset is a multiple of `bytes`
    /// (a power of two, at least 4): the vector table's 2 KiB alignment and 128-byte entries.
    public mutating func align(_ bytes: Int) {
        while (instructions.count * 4) % bytes != 0 { nop() }
    }

    /// Appends an instruction built elsewhere.
    public mutating func emit(_ instruction: A64Instruction) {
        instructions.append(instruction)
    }

    /// Resolves every label reference and returns the program, or the first problem.
    public func assemble() throws(A64AssemblyError) -> A64Program {
        if let firstError { throw firstError }
        var words = instructions
        for fixup in fixups {
            guard let target = bound[fixup.label.id] else { throw .unboundLabel(fixup.label.name) }
            let distance = Int64(target - fixup.index) * 4
            let placed = words[fixup.index]
            let word: UInt32
            switch fixup.kind {
            case .branch:
                guard distance >= -(1 << 27), distance < (1 << 27) else {
                    throw .targetOutOfRange(instruction: placed.text, distance: distance)
                }
                word = placed.word | UInt32(truncatingIfNeeded: distance >> 2) & 0x03FF_FFFF
            case .conditional, .compareAndBranch:
                guard distance >= -(1 << 20), distance < (1 << 20) else {
                    throw .targetOutOfRange(instruction: placed.text, distance: distance)
                }
                word = placed.word | (UInt32(truncatingIfNeeded: distance >> 2) & 0x7FFFF) << 5
            case .testAndBranch:
                guard distance >= -(1 << 15), distance < (1 << 15) else {
                    throw .targetOutOfRange(instruction: placed.text, distance: distance)
                }
                word = placed.word | (UInt32(truncatingIfNeeded: distance >> 2) & 0x3FFF) << 5
            case .address:
                guard distance >= -(1 << 20), distance < (1 << 20) else {
                    throw .targetOutOfRange(instruction: placed.text, distance: distance)
                }
                let immediate = UInt32(truncatingIfNeeded: distance) & 0x1F_FFFF
                word = placed.word | (immediate & 0x3) << 29 | (immediate >> 2) << 5
            }
            words[fixup.index] = A64Instruction(word: word, text: placed.text)
        }
        var labels: [(name: String, index: Int)] = []
        for id in 0..<labelNames.count {
            if let index = bound[id] { labels.append((labelNames[id], index)) }
        }
        labels.sort { $0.index < $1.index }
        return A64Program(instructions: words, labels: labels)
    }

    // MARK: Moves

    /// `MOVZ Xd, #imm16, LSL #shift` (C6.2.226): sf=1 opc=10 100101 hw imm16 Rd.
    public mutating func movz(_ rd: A64Register, _ imm16: UInt16, shift: UInt32 = 0) {
        guard checkGeneral(rd, "movz"), checkShift(shift, "movz") else { return }
        let text = shift == 0 ? "movz \(rd), #\(hex(imm16))" : "movz \(rd), #\(hex(imm16)), lsl #\(shift)"
        emit(A64Instruction(word: 0xD280_0000 | (shift / 16) << 21 | UInt32(imm16) << 5 | rd.number, text: text))
    }

    /// `MOVK Xd, #imm16, LSL #shift` (C6.2.225): sf=1 opc=11; keeps the other bits.
    public mutating func movk(_ rd: A64Register, _ imm16: UInt16, shift: UInt32) {
        guard checkGeneral(rd, "movk"), checkShift(shift, "movk") else { return }
        let text = shift == 0 ? "movk \(rd), #\(hex(imm16))" : "movk \(rd), #\(hex(imm16)), lsl #\(shift)"
        emit(A64Instruction(word: 0xF280_0000 | (shift / 16) << 21 | UInt32(imm16) << 5 | rd.number, text: text))
    }

    /// Loads a 64-bit constant: MOVZ of the low half, then a MOVK for each non-zero higher half.
    public mutating func mov(_ rd: A64Register, _ value: UInt64) {
        movz(rd, UInt16(truncatingIfNeeded: value))
        for shift in stride(from: UInt32(16), through: 48, by: 16) {
            let part = UInt16(truncatingIfNeeded: value >> UInt64(shift))
            if part != 0 { movk(rd, part, shift: shift) }
        }
    }

    /// `MOV Xd, Xm` between general registers: `ORR Xd, XZR, Xm` (C6.2.224).
    public mutating func mov(_ rd: A64Register, _ rm: A64Register) {
        guard checkGeneral(rd, "mov"), checkGeneral(rm, "mov") else { return }
        emit(A64Instruction(word: 0xAA00_03E0 | rm.number << 16 | rd.number, text: "mov \(rd), \(rm)"))
    }

    /// `MOV` to or from SP: `ADD Xd, Xn, #0` (C6.2.223), where one side is SP.
    public mutating func movStackPointer(_ rd: A64Register, _ rn: A64Register) {
        guard rd.isStackPointer || rn.isStackPointer,
            rd.number != 31 || rd.isStackPointer, rn.number != 31 || rn.isStackPointer
        else {
            record(.invalidRegister(instruction: "mov (sp)", register: "\(rd), \(rn)"))
            return
        }
        emit(A64Instruction(word: 0x9100_0000 | rn.number << 5 | rd.number, text: "mov \(rd), \(rn)"))
    }

    // MARK: Arithmetic and logic

    /// `ADD Xd|SP, Xn|SP, #imm12{, LSL #12}` (C6.2.4).
    public mutating func add(_ rd: A64Register, _ rn: A64Register, _ immediate: UInt32, shifted: Bool = false) {
        addSubImmediate(0x9100_0000, "add", rd, rn, immediate, shifted: shifted, flags: false)
    }

    /// `SUB Xd|SP, Xn|SP, #imm12{, LSL #12}` (C6.2.357).
    public mutating func sub(_ rd: A64Register, _ rn: A64Register, _ immediate: UInt32, shifted: Bool = false) {
        addSubImmediate(0xD100_0000, "sub", rd, rn, immediate, shifted: shifted, flags: false)
    }

    /// `CMP Xn|SP, #imm12`: `SUBS XZR, Xn, #imm12` (C6.2.67).
    public mutating func cmp(_ rn: A64Register, _ immediate: UInt32) {
        guard immediate < 4096 else {
            record(.immediateOutOfRange(instruction: "cmp", value: Int64(immediate)))
            return
        }
        guard rn.number != 31 || rn.isStackPointer else {
            record(.invalidRegister(instruction: "cmp", register: rn.description))
            return
        }
        emit(A64Instruction(word: 0xF100_001F | immediate << 10 | rn.number << 5, text: "cmp \(rn), #\(immediate)"))
    }

    /// `CMP Xn, Xm`: `SUBS XZR, Xn, Xm` (C6.2.68).
    public mutating func cmp(_ rn: A64Register, _ rm: A64Register) {
        guard checkGeneral(rn, "cmp"), checkGeneral(rm, "cmp") else { return }
        emit(A64Instruction(word: 0xEB00_001F | rm.number << 16 | rn.number << 5, text: "cmp \(rn), \(rm)"))
    }

    /// `ADD Xd, Xn, Xm{, LSL #amount}` (C6.2.5).
    public mutating func add(_ rd: A64Register, _ rn: A64Register, _ rm: A64Register, lsl amount: UInt32 = 0) {
        shiftedRegister(0x8B00_0000, "add", rd, rn, rm, amount)
    }

    /// `SUB Xd, Xn, Xm{, LSL #amount}` (C6.2.358).
    public mutating func sub(_ rd: A64Register, _ rn: A64Register, _ rm: A64Register, lsl amount: UInt32 = 0) {
        shiftedRegister(0xCB00_0000, "sub", rd, rn, rm, amount)
    }

    /// `AND Xd, Xn, Xm{, LSL #amount}` (C6.2.13).
    public mutating func and(_ rd: A64Register, _ rn: A64Register, _ rm: A64Register, lsl amount: UInt32 = 0) {
        shiftedRegister(0x8A00_0000, "and", rd, rn, rm, amount)
    }

    /// `ORR Xd, Xn, Xm{, LSL #amount}` (C6.2.241).
    public mutating func orr(_ rd: A64Register, _ rn: A64Register, _ rm: A64Register, lsl amount: UInt32 = 0) {
        shiftedRegister(0xAA00_0000, "orr", rd, rn, rm, amount)
    }

    /// `EOR Xd, Xn, Xm{, LSL #amount}` (C6.2.121).
    public mutating func eor(_ rd: A64Register, _ rn: A64Register, _ rm: A64Register, lsl amount: UInt32 = 0) {
        shiftedRegister(0xCA00_0000, "eor", rd, rn, rm, amount)
    }

    /// `LSL Xd, Xn, Xm`: `LSLV` (C6.2.215), shift by the low six bits of Xm.
    public mutating func lsl(_ rd: A64Register, _ rn: A64Register, _ rm: A64Register) {
        guard checkGeneral(rd, "lsl"), checkGeneral(rn, "lsl"), checkGeneral(rm, "lsl") else { return }
        emit(A64Instruction(word: 0x9AC0_2000 | rm.number << 16 | rn.number << 5 | rd.number, text: "lsl \(rd), \(rn), \(rm)"))
    }

    /// `LSR Xd, Xn, Xm`: `LSRV` (C6.2.218).
    public mutating func lsr(_ rd: A64Register, _ rn: A64Register, _ rm: A64Register) {
        guard checkGeneral(rd, "lsr"), checkGeneral(rn, "lsr"), checkGeneral(rm, "lsr") else { return }
        emit(A64Instruction(word: 0x9AC0_2400 | rm.number << 16 | rn.number << 5 | rd.number, text: "lsr \(rd), \(rn), \(rm)"))
    }

    /// `LSL Xd, Xn, #shift`: `UBFM Xd, Xn, #(64 − shift) mod 64, #(63 − shift)` (C6.2.214).
    public mutating func lsl(_ rd: A64Register, _ rn: A64Register, _ shift: UInt32) {
        guard shift < 64 else {
            record(.immediateOutOfRange(instruction: "lsl", value: Int64(shift)))
            return
        }
        bitfield("lsl \(rd), \(rn), #\(shift)", rd, rn, immr: (64 - shift) % 64, imms: 63 - shift)
    }

    /// `LSR Xd, Xn, #shift`: `UBFM Xd, Xn, #shift, #63` (C6.2.217).
    public mutating func lsr(_ rd: A64Register, _ rn: A64Register, _ shift: UInt32) {
        guard shift < 64 else {
            record(.immediateOutOfRange(instruction: "lsr", value: Int64(shift)))
            return
        }
        bitfield("lsr \(rd), \(rn), #\(shift)", rd, rn, immr: shift, imms: 63)
    }

    /// `UBFX Xd, Xn, #lsb, #width`: `UBFM Xd, Xn, #lsb, #(lsb + width − 1)` (C6.2.388).
    public mutating func ubfx(_ rd: A64Register, _ rn: A64Register, lsb: UInt32, width: UInt32) {
        guard width >= 1, lsb < 64, lsb + width <= 64 else {
            record(.immediateOutOfRange(instruction: "ubfx", value: Int64(lsb) << 8 | Int64(width)))
            return
        }
        bitfield("ubfx \(rd), \(rn), #\(lsb), #\(width)", rd, rn, immr: lsb, imms: lsb + width - 1)
    }

    // MARK: Loads and stores

    /// The width of a single-register load or store.
    public enum AccessSize: UInt32, Sendable {
        case byte = 0, halfword = 1, word = 2, doubleword = 3

        var bytes: Int64 { 1 << Int64(rawValue) }
        var loadName: String { ["ldrb", "ldrh", "ldr", "ldr"][Int(rawValue)] }
        var storeName: String { ["strb", "strh", "str", "str"][Int(rawValue)] }
        func name(of register: A64Register) -> String { self == .doubleword ? register.description : register.wName }
    }

    /// `LDR{B,H} Wt|Xt, [Xn|SP{, #offset}]`, unsigned scaled offset (C6.2.166 and friends):
    /// single-register and without writeback, so a trapped access carries a valid syndrome and
    /// KVM reports it as `KVM_EXIT_MMIO`.
    public mutating func ldr(_ size: AccessSize, _ rt: A64Register, base rn: A64Register, offset: Int64 = 0) {
        unsignedOffset(load: true, size, rt, rn, offset)
    }

    /// `STR{B,H} Wt|Xt, [Xn|SP{, #offset}]`, unsigned scaled offset (C6.2.321 and friends).
    public mutating func str(_ size: AccessSize, _ rt: A64Register, base rn: A64Register, offset: Int64 = 0) {
        unsignedOffset(load: false, size, rt, rn, offset)
    }

    /// `LDR Wt|Xt, [Xn|SP, Xm{, LSL #size}]`, register offset scaled by the access size when
    /// `scaled` (C6.2.168).
    public mutating func ldr(_ size: AccessSize, _ rt: A64Register, base rn: A64Register, index rm: A64Register, scaled: Bool) {
        registerOffset(load: true, size, rt, rn, rm, scaled: scaled)
    }

    /// `STR Wt|Xt, [Xn|SP, Xm{, LSL #size}]` (C6.2.323).
    public mutating func str(_ size: AccessSize, _ rt: A64Register, base rn: A64Register, index rm: A64Register, scaled: Bool) {
        registerOffset(load: false, size, rt, rn, rm, scaled: scaled)
    }

    /// How a pair access addresses memory.
    public enum PairMode: Sendable {
        /// `[Xn, #offset]`.
        case signedOffset
        /// `[Xn, #offset]!`: write the address back before the access.
        case preIndex
        /// `[Xn], #offset`: write the address back after the access.
        case postIndex
    }

    /// `STP Xt1, Xt2, …` (C6.2.318): 64-bit pair, offset a multiple of 8 in −512...504.
    public mutating func stp(_ rt1: A64Register, _ rt2: A64Register, base rn: A64Register, offset: Int64, _ mode: PairMode = .signedOffset) {
        pair(load: false, rt1, rt2, rn, offset, mode)
    }

    /// `LDP Xt1, Xt2, …` (C6.2.164).
    public mutating func ldp(_ rt1: A64Register, _ rt2: A64Register, base rn: A64Register, offset: Int64, _ mode: PairMode = .signedOffset) {
        pair(load: true, rt1, rt2, rn, offset, mode)
    }

    // MARK: Branches

    /// `B label` (C6.2.26).
    public mutating func b(_ label: A64Label) {
        fixup(label, .branch(link: false), A64Instruction(word: 0x1400_0000, text: "b \(label.name)"))
    }

    /// `BL label` (C6.2.34).
    public mutating func bl(_ label: A64Label) {
        fixup(label, .branch(link: true), A64Instruction(word: 0x9400_0000, text: "bl \(label.name)"))
    }

    /// `B.cond label` (C6.2.27).
    public mutating func b(_ condition: A64Condition, _ label: A64Label) {
        fixup(label, .conditional(condition),
            A64Instruction(word: 0x5400_0000 | condition.rawValue, text: "b.\(condition.name) \(label.name)"))
    }

    /// `CBZ Xt, label` (C6.2.48).
    public mutating func cbz(_ rt: A64Register, _ label: A64Label) {
        guard checkGeneral(rt, "cbz") else { return }
        fixup(label, .compareAndBranch(rt, nonZero: false), A64Instruction(word: 0xB400_0000 | rt.number, text: "cbz \(rt), \(label.name)"))
    }

    /// `CBNZ Xt, label` (C6.2.47).
    public mutating func cbnz(_ rt: A64Register, _ label: A64Label) {
        guard checkGeneral(rt, "cbnz") else { return }
        fixup(label, .compareAndBranch(rt, nonZero: true), A64Instruction(word: 0xB500_0000 | rt.number, text: "cbnz \(rt), \(label.name)"))
    }

    /// `TBZ Xt, #bit, label` (C6.2.376): branch if bit `bit` (0–63) is clear.
    public mutating func tbz(_ rt: A64Register, bit: UInt32, _ label: A64Label) {
        testBit(rt, bit: bit, label, nonZero: false)
    }

    /// `TBNZ Xt, #bit, label` (C6.2.375): branch if bit `bit` is set.
    public mutating func tbnz(_ rt: A64Register, bit: UInt32, _ label: A64Label) {
        testBit(rt, bit: bit, label, nonZero: true)
    }

    /// `ADR Xd, label` (C6.2.10): the label's address, PC-relative within ±1 MiB.
    public mutating func adr(_ rd: A64Register, _ label: A64Label) {
        guard checkGeneral(rd, "adr") else { return }
        fixup(label, .address(rd), A64Instruction(word: 0x1000_0000 | rd.number, text: "adr \(rd), \(label.name)"))
    }

    /// `RET {Xn}` (C6.2.254), X30 by default.
    public mutating func ret(_ rn: A64Register = .x30) {
        guard checkGeneral(rn, "ret") else { return }
        emit(A64Instruction(word: 0xD65F_0000 | rn.number << 5, text: rn == .x30 ? "ret" : "ret \(rn)"))
    }

    /// `BR Xn` (C6.2.37).
    public mutating func br(_ rn: A64Register) {
        guard checkGeneral(rn, "br") else { return }
        emit(A64Instruction(word: 0xD61F_0000 | rn.number << 5, text: "br \(rn)"))
    }

    /// `BLR Xn` (C6.2.35).
    public mutating func blr(_ rn: A64Register) {
        guard checkGeneral(rn, "blr") else { return }
        emit(A64Instruction(word: 0xD63F_0000 | rn.number << 5, text: "blr \(rn)"))
    }

    // MARK: System

    /// `MRS Xt, S<op0>_<op1>_C<n>_C<m>_<op2>` (C6.2.228): 1101010100 1 1 o0 op1 CRn CRm op2 Rt.
    public mutating func mrs(_ rt: A64Register, _ register: SystemRegister) {
        guard checkGeneral(rt, "mrs") else { return }
        emit(A64Instruction(word: 0xD530_0000 | register.fields | rt.number, text: "mrs \(rt), \(register.name)"))
    }

    /// `MSR S<op0>_<op1>_C<n>_C<m>_<op2>, Xt` (C6.2.230): as MRS with L=0.
    public mutating func msr(_ register: SystemRegister, _ rt: A64Register) {
        guard rt.number != 31 || !rt.isStackPointer else {
            record(.invalidRegister(instruction: "msr", register: rt.description))
            return
        }
        emit(A64Instruction(word: 0xD510_0000 | register.fields | rt.number, text: "msr \(register.name), \(rt)"))
    }

    /// `SYS #op1, Cn, Cm, #op2, Xt` (C6.2.371): 1101010100 0 01 op1 CRn CRm op2 Rt. The generic form of
    /// the GICv5 `GIC CD*` instructions (SYS #0, C12, …), which GNU as 2.40 has no mnemonics for.
    public mutating func sys(op1: UInt8, crn: UInt8, crm: UInt8, op2: UInt8, _ rt: A64Register) {
        guard op1 < 8, crn < 16, crm < 16, op2 < 8, rt.number != 31 || !rt.isStackPointer else {
            record(.invalidRegister(instruction: "sys", register: rt.description))
            return
        }
        let fields = UInt32(op1) << 16 | UInt32(crn) << 12 | UInt32(crm) << 8 | UInt32(op2) << 5
        emit(A64Instruction(word: 0xD508_0000 | fields | rt.number, text: "sys #\(op1), c\(crn), c\(crm), #\(op2), \(rt)"))
    }

    /// `SYSL Xt, #op1, Cn, Cm, #op2` (C6.2.373): as SYS with L = 1, a result in Xt. The generic form of
    /// `GICR CDIA` / `GICR CDNMIA` (SYSL Xt, #0, C12, C3, #0 / #1).
    public mutating func sysl(_ rt: A64Register, op1: UInt8, crn: UInt8, crm: UInt8, op2: UInt8) {
        guard op1 < 8, crn < 16, crm < 16, op2 < 8, checkGeneral(rt, "sysl") else {
            record(.invalidRegister(instruction: "sysl", register: rt.description))
            return
        }
        let fields = UInt32(op1) << 16 | UInt32(crn) << 12 | UInt32(crm) << 8 | UInt32(op2) << 5
        emit(A64Instruction(word: 0xD528_0000 | fields | rt.number, text: "sysl \(rt), #\(op1), c\(crn), c\(crm), #\(op2)"))
    }

    /// `MSR DAIFSet, #mask` (C6.2.229): masks D (8), A (4), I (2), F (1).
    public mutating func maskExceptions(_ mask: UInt32) {
        daif(mask, clear: false)
    }

    /// `MSR DAIFClr, #mask`: unmasks.
    public mutating func unmaskExceptions(_ mask: UInt32) {
        daif(mask, clear: true)
    }

    /// `NOP`.
    public mutating func nop() { emit(A64Instruction(word: 0xD503_201F, text: "nop")) }
    /// `WFI`: wait for an interrupt (KVM may trap it and block the vCPU).
    public mutating func wfi() { emit(A64Instruction(word: 0xD503_207F, text: "wfi")) }
    /// `ISB`: context synchronisation, so system-register writes take effect for what follows.
    public mutating func isb() { emit(A64Instruction(word: 0xD503_3FDF, text: "isb")) }
    /// `DSB SY`: completes every earlier memory access (GIC MMIO writes included).
    public mutating func dsbSY() { emit(A64Instruction(word: 0xD503_3F9F, text: "dsb sy")) }
    /// `ERET`: return from an exception to ELR_EL1 with SPSR_EL1.
    public mutating func eret() { emit(A64Instruction(word: 0xD69F_03E0, text: "eret")) }

    /// `HVC #imm16` (C6.2.136): with PSCI, a call into KVM's firmware interface.
    public mutating func hvc(_ imm16: UInt16 = 0) {
        emit(A64Instruction(word: 0xD400_0002 | UInt32(imm16) << 5, text: "hvc #\(hex(imm16))"))
    }

    /// `UDF #imm16` (C6.2.387): permanently undefined, an Undefined Instruction exception.
    public mutating func udf(_ imm16: UInt16 = 0) {
        emit(A64Instruction(word: UInt32(imm16), text: "udf #\(imm16)"))
    }

    /// A data word in the instruction stream (`.word`).
    public mutating func word(_ value: UInt32) {
        emit(A64Instruction(word: value, text: ".word \(hex(value))"))
    }

    // MARK: Encoding helpers

    private mutating func record(_ error: A64AssemblyError) {
        if firstError == nil { firstError = error }
    }

    private mutating func fixup(_ label: A64Label, _ kind: Fixup, _ placeholder: A64Instruction) {
        fixups.append((instructions.count, label, kind))
        emit(placeholder)
    }

    /// A general register (X0–X30 or XZR), not SP.
    private mutating func checkGeneral(_ register: A64Register, _ instruction: String) -> Bool {
        if register.isStackPointer {
            record(.invalidRegister(instruction: instruction, register: register.description))
            return false
        }
        return true
    }

    private mutating func checkShift(_ shift: UInt32, _ instruction: String) -> Bool {
        guard shift % 16 == 0, shift <= 48 else {
            record(.immediateOutOfRange(instruction: instruction, value: Int64(shift)))
            return false
        }
        return true
    }

    private mutating func addSubImmediate(
        _ base: UInt32, _ name: String, _ rd: A64Register, _ rn: A64Register, _ immediate: UInt32, shifted: Bool, flags: Bool
    ) {
        guard immediate < 4096 else {
            record(.immediateOutOfRange(instruction: name, value: Int64(immediate)))
            return
        }
        // In the immediate forms register 31 is SP for Rd and Rn.
        guard rd.number != 31 || rd.isStackPointer, rn.number != 31 || rn.isStackPointer else {
            record(.invalidRegister(instruction: name, register: "\(rd), \(rn)"))
            return
        }
        let suffix = shifted ? ", lsl #12" : ""
        emit(A64Instruction(
            word: base | (shifted ? 1 << 22 : 0) | immediate << 10 | rn.number << 5 | rd.number,
            text: "\(name) \(rd), \(rn), #\(immediate)\(suffix)"))
    }

    private mutating func shiftedRegister(
        _ base: UInt32, _ name: String, _ rd: A64Register, _ rn: A64Register, _ rm: A64Register, _ amount: UInt32
    ) {
        guard checkGeneral(rd, name), checkGeneral(rn, name), checkGeneral(rm, name) else { return }
        guard amount < 64 else {
            record(.immediateOutOfRange(instruction: name, value: Int64(amount)))
            return
        }
        let suffix = amount == 0 ? "" : ", lsl #\(amount)"
        emit(A64Instruction(
            word: base | rm.number << 16 | amount << 10 | rn.number << 5 | rd.number,
            text: "\(name) \(rd), \(rn), \(rm)\(suffix)"))
    }

    private mutating func bitfield(_ text: String, _ rd: A64Register, _ rn: A64Register, immr: UInt32, imms: UInt32) {
        guard checkGeneral(rd, text), checkGeneral(rn, text) else { return }
        emit(A64Instruction(word: 0xD340_0000 | immr << 16 | imms << 10 | rn.number << 5 | rd.number, text: text))
    }

    private mutating func unsignedOffset(load: Bool, _ size: AccessSize, _ rt: A64Register, _ rn: A64Register, _ offset: Int64) {
        let name = load ? size.loadName : size.storeName
        guard checkGeneral(rt, name), rn.number != 31 || rn.isStackPointer else {
            record(.invalidRegister(instruction: name, register: "\(rt), [\(rn)]"))
            return
        }
        guard offset >= 0, offset < 4096 * size.bytes else {
            record(.immediateOutOfRange(instruction: name, value: offset))
            return
        }
        guard offset % size.bytes == 0 else {
            record(.misaligned(instruction: name, value: offset))
            return
        }
        let base: UInt32 = 0x3900_0000 | size.rawValue << 30 | (load ? 1 << 22 : 0)
        let address = offset == 0 ? "[\(rn)]" : "[\(rn), #\(offset)]"
        emit(A64Instruction(
            word: base | UInt32(offset / size.bytes) << 10 | rn.number << 5 | rt.number,
            text: "\(name) \(size.name(of: rt)), \(address)"))
    }

    private mutating func registerOffset(
        load: Bool, _ size: AccessSize, _ rt: A64Register, _ rn: A64Register, _ rm: A64Register, scaled: Bool
    ) {
        let name = load ? size.loadName : size.storeName
        guard checkGeneral(rt, name), checkGeneral(rm, name), rn.number != 31 || rn.isStackPointer else {
            record(.invalidRegister(instruction: name, register: "\(rt), [\(rn), \(rm)]"))
            return
        }
        // option = 011 (LSL / UXTX), S = scaled.
        let base: UInt32 = 0x3820_6800 | size.rawValue << 30 | (load ? 1 << 22 : 0) | (scaled ? 1 << 12 : 0)
        let shift = scaled && size != .byte ? ", lsl #\(size.rawValue)" : (scaled ? ", lsl #0" : "")
        emit(A64Instruction(
            word: base | rm.number << 16 | rn.number << 5 | rt.number,
            text: "\(name) \(size.name(of: rt)), [\(rn), \(rm)\(shift)]"))
    }

    private mutating func pair(load: Bool, _ rt1: A64Register, _ rt2: A64Register, _ rn: A64Register, _ offset: Int64, _ mode: PairMode) {
        let name = load ? "ldp" : "stp"
        guard checkGeneral(rt1, name), checkGeneral(rt2, name), rn.number != 31 || rn.isStackPointer else {
            record(.invalidRegister(instruction: name, register: "\(rt1), \(rt2), [\(rn)]"))
            return
        }
        guard offset % 8 == 0 else {
            record(.misaligned(instruction: name, value: offset))
            return
        }
        guard offset >= -512, offset <= 504 else {
            record(.immediateOutOfRange(instruction: name, value: offset))
            return
        }
        let modeBits: UInt32
        let address: String
        switch mode {
        case .signedOffset:
            modeBits = 0b010
            address = offset == 0 ? "[\(rn)]" : "[\(rn), #\(offset)]"
        case .preIndex:
            modeBits = 0b011
            address = "[\(rn), #\(offset)]!"
        case .postIndex:
            modeBits = 0b001
            address = "[\(rn)], #\(offset)"
        }
        let imm7 = UInt32(truncatingIfNeeded: offset / 8) & 0x7F
        let word: UInt32 = 0xA800_0000 | modeBits << 23 | (load ? 1 << 22 : 0) | imm7 << 15 | rt2.number << 10 | rn.number << 5 | rt1.number
        emit(A64Instruction(word: word, text: "\(name) \(rt1), \(rt2), \(address)"))
    }

    private mutating func testBit(_ rt: A64Register, bit: UInt32, _ label: A64Label, nonZero: Bool) {
        let name = nonZero ? "tbnz" : "tbz"
        guard checkGeneral(rt, name) else { return }
        guard bit < 64 else {
            record(.immediateOutOfRange(instruction: name, value: Int64(bit)))
            return
        }
        // b5 (bit 31) selects the X form for bits 32–63; GNU as names the register w for bits below 32.
        let register = bit < 32 ? rt.wName : rt.description
        let word: UInt32 = (nonZero ? 0x3700_0000 : 0x3600_0000) | (bit >> 5) << 31 | (bit & 0x1F) << 19 | rt.number
        fixup(label, .testAndBranch(rt, bit: bit, nonZero: nonZero), A64Instruction(word: word, text: "\(name) \(register), #\(bit), \(label.name)"))
    }

    private mutating func daif(_ mask: UInt32, clear: Bool) {
        guard mask < 16 else {
            record(.immediateOutOfRange(instruction: clear ? "msr daifclr" : "msr daifset", value: Int64(mask)))
            return
        }
        // MSR (immediate), op1 = 011, CRn = 0100, op2 = 110 (DAIFSet) or 111 (DAIFClr), CRm = mask.
        let word: UInt32 = 0xD503_401F | mask << 8 | (clear ? 0b111 : 0b110) << 5
        emit(A64Instruction(word: word, text: "msr \(clear ? "daifclr" : "daifset"), #\(mask)"))
    }
}
