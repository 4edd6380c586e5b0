import CheckedVGIC
import GICVocabulary
import GuestHarness

/// One thing a fuzz program's vCPU does; prints as the Swift that builds it.
enum FuzzBlock: Hashable, Sendable, CustomStringConvertible {
    /// The host raises the line of `intid` with `KVM_IRQ_LINE` (an edge, or a high level; a PPI
    /// on vCPU `vcpu`).
    case raise(UInt32, vcpu: Int)
    /// The host sets the pending latch through the attribute interface.
    case pendFromHost(UInt32, vcpu: Int)
    /// The host sets the line through LEVEL_INFO.
    case lineFromHost(UInt32, vcpu: Int)
    /// The guest writes the ISPENDR bit itself.
    case pendFromGuest(UInt32)
    /// The guest writes ICC_SGI1R_EL1: SGI `intid` to the vCPUs whose bits are set in
    /// `targets` (their Aff0), or to every other vCPU with `broadcast`.
    case sgi(UInt32, targets: UInt16, broadcast: Bool)
    /// The guest writes ICC_PMR_EL1.
    case priorityMask(UInt8)
    /// The guest unmasks IRQs and masks them again: a pending interrupt is taken by the handler.
    case window
    /// The guest polls ICC_IAR1_EL1 with IRQs masked, at most `attempts` times, and handles
    /// what it gets as the handler would.
    case poll(attempts: UInt8)
    /// The guest reads and logs a register of its CPU interface.
    case observe(GuestSysReg)

    var description: String {
        switch self {
        case .raise(let intid, let vcpu): ".raise(\(intid), vcpu: \(vcpu))"
        case .pendFromHost(let intid, let vcpu): ".pendFromHost(\(intid), vcpu: \(vcpu))"
        case .lineFromHost(let intid, let vcpu): ".lineFromHost(\(intid), vcpu: \(vcpu))"
        case .pendFromGuest(let intid): ".pendFromGuest(\(intid))"
        case .sgi(let intid, let targets, let broadcast): ".sgi(\(intid), targets: \(hex(targets)), broadcast: \(broadcast))"
        case .priorityMask(let value): ".priorityMask(\(hex(value)))"
        case .window: ".window"
        case .poll(let attempts): ".poll(attempts: \(attempts))"
        case .observe(let register): ".observe(.\(register.caseName))"
        }
    }

    /// A block drawn for vCPU `vcpu`: injections and windows most often.
    static func random(_ random: inout SplitMix64, interrupts: [GuestFuzzProgram.Interrupt], vcpu: Int, vcpuCount: Int) -> FuzzBlock {
        let interrupt = interrupts[Int(random.next() % UInt64(interrupts.count))]
        let target = interrupt.intid < 32 ? Int(random.next() % UInt64(vcpuCount)) : interrupt.vcpu
        switch random.next() % 16 {
        case 0, 1, 2:
            return interrupt.intid < 16 ? .pendFromHost(interrupt.intid, vcpu: target) : .raise(interrupt.intid, vcpu: target)
        case 3: return .pendFromHost(interrupt.intid, vcpu: target)
        case 4: return interrupt.intid >= 16 && !interrupt.edge ? .lineFromHost(interrupt.intid, vcpu: target) : .pendFromGuest(interrupt.intid)
        case 5: return .pendFromGuest(interrupt.intid)
        case 6:
            let sgi = interrupts.filter { $0.intid < 16 }.first?.intid ?? 1
            let targets = UInt16(truncatingIfNeeded: random.next()) & UInt16((1 << vcpuCount) - 1)
            return .sgi(sgi, targets: targets == 0 ? 1 : targets, broadcast: random.next() % 4 == 0)
        case 7: return .priorityMask([0x80, 0xA0, 0xC0, 0xF0, 0xF8, 0xFF][Int(random.next() % 6)])
        case 8, 9, 10, 11: return .window
        case 12, 13: return .poll(attempts: UInt8(1 + random.next() % 3))
        default:
            let registers: [GuestSysReg] = [.iccRPR, .iccAP1R0, .iccHPPIR1, .iccPMR]
            return .observe(registers[Int(random.next() % UInt64(registers.count))])
        }
    }
}
