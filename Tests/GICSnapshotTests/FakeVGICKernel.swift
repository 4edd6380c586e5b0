import CKVM
import GICVocabulary
import KVM

/// A syscall simulator that answers a GICv3 vgic's device attributes the way KVM's uaccess
/// handlers do (vgic-mmio-v3.c, vgic-mmio.c, vgic-sys-reg-v3.c, vgic-kvm-device.c), so capture
/// and restore can be exercised on x86: IC* writes clear, IS* writes set, the ISPENDR write
/// replaces the latch, ICPENDR is RAZ/WI, priorities keep 5 bits, IROUTER keeps 24 bits of its
/// low word, LEVEL_INFO reports only level-configured lines, ICC_CTLR lowers PRIbits, APRs past
/// PRIbits are EINVAL, BPR1 is ignored under CBPR, REDIST_REGION reads end in ENOENT.
///
/// One VM per simulator. Not the kernel: the lab runs the same code against real KVM; this is
/// what lets the order and the properties be tested without one.
final class FakeVGICKernel: SyscallSimulator, @unchecked Sendable {
    struct Interrupt: Equatable {
        var group = true
        var enabled = false
        var latch = false
        var active = false
        var priority: UInt8 = 0
        var edge = true
        var line = false
        var route: UInt32 = 0
    }

    struct CPUInterface: Equatable {
        var pmr: UInt64 = 0
        var bpr0: UInt64 = 2
        var abpr: UInt64 = 3
        var cbpr = false
        var eoimode = false
        var igrpen0: UInt64 = 0
        var igrpen1: UInt64 = 0
        var ap0r: [UInt64] = [0, 0, 0, 0]
        var ap1r: [UInt64] = [0, 0, 0, 0]
        var priorityBits: UInt32
    }

    struct Redistributor: Equatable {
        var privateIRQs: [Interrupt]
        var ctlr: UInt32 = 0
        var pendbaser: UInt64 = 0
        var cpu: CPUInterface
    }

    /// Priority bits the "host" gives each vCPU (ICC_CTLR_EL1.PRIbits + 1).
    var hostPriorityBits: UInt32 = 5
    /// ICC_CTLR_EL1 IDbits, SEIS and A3V of the host.
    var hostControlConstants: UInt64 = 1 << 11
    /// GICD_IIDR revision the kernel reports (3 on 6.12 and later).
    var revision: UInt32 = 3
    /// When true every register access answers EBUSY, as when a vCPU is in KVM_RUN.
    var vcpuRunning = false

    private(set) var interruptCount: UInt32?
    private(set) var initialised = false
    private(set) var distributorBase: UInt64 = UInt64.max
    private(set) var regionWords: [UInt64] = []
    private(set) var distributorEnabled = false
    private(set) var spis: [UInt32: Interrupt] = [:]
    private(set) var redistributors: [UInt32: Redistributor] = [:]
    private(set) var propbaser: UInt64 = 0
    private(set) var hasITS = false

    override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
        if attempt.request == .irqLine, initialised, let line = argument?.assumingMemoryBound(to: kvm_irq_level.self) {
            let word = line.pointee.irq
            let type = (word >> 24) & 0xF
            let number = word & 0xFFFF
            let vcpu = ((word >> 28) & 0xF) << 8 | (word >> 16) & 0xFF
            switch type {
            case 1 where number >= 32 && number < (interruptCount ?? 0):
                inject(intid: number, vcpuAffinity: 0, level: line.pointee.level != 0)
            case 2 where (16..<32).contains(number):
                inject(intid: number, vcpuAffinity: Affinity(mpidr: mpidrForVCPU(vcpu)).packed, level: line.pointee.level != 0)
            default:
                return -Int(Errno.EINVAL.rawValue)
            }
            return 0
        }
        guard case .device(let type)? = objects[fd], type == .vgicV3,
            let attribute = attempt.attribute,
            let raw = argument?.assumingMemoryBound(to: kvm_device_attr.self)
        else {
            if attempt.request == .createDevice,
                let create = argument?.assumingMemoryBound(to: kvm_create_device.self),
                create.pointee.type == DeviceType.vgicITS.rawValue, create.pointee.flags == 0
            {
                hasITS = true
            }
            return super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
        }
        for rule in failures where rule.matches == attempt.request {
            if let group = rule.attribute, group != attribute.group { continue }
            return -Int(rule.errno.rawValue)
        }
        let address = UnsafeMutableRawPointer(bitPattern: UInt(raw.pointee.addr))
        let isWrite = attempt.request == .setDeviceAttr
        if attempt.request == .hasDeviceAttr { return 0 }
        switch attribute.group {
        case .control:
            guard isWrite, attribute.attr == UInt64(CKVM_VGIC_CTRL_INIT) else { return -Int(Errno.ENXIO.rawValue) }
            initialise()
            return 0
        case .nrIRQs:
            guard let address else { return -Int(Errno.EFAULT.rawValue) }
            if isWrite {
                let count = address.load(as: UInt32.self)
                guard count >= 64, count <= 1023, count % 32 == 0 else { return -Int(Errno.EINVAL.rawValue) }
                guard !initialised, interruptCount == nil else { return -Int(Errno.EBUSY.rawValue) }
                interruptCount = count
            } else {
                address.storeBytes(of: interruptCount ?? 0, as: UInt32.self)
            }
            return 0
        case .address:
            guard let address else { return -Int(Errno.EFAULT.rawValue) }
            return addressAttribute(attribute.attr, address, isWrite)
        default:
            guard let address else { return -Int(Errno.EFAULT.rawValue) }
            guard initialised else { return -Int(Errno.EBUSY.rawValue) }
            if vcpuRunning { return -Int(Errno.EBUSY.rawValue) }
            return registerAttribute(attribute, address, isWrite)
        }
    }

    // MARK: - Setup

    private func vcpuAffinities() -> [(UInt32, UInt32)] {
        var result: [(UInt32, UInt32)] = []
        for (_, object) in objects {
            if case .vcpu(let id) = object {
                result.append((id, Affinity(mpidr: mpidrForVCPU(id)).packed))
            }
        }
        return result
    }

    private func initialise() {
        initialised = true
        let count = interruptCount ?? 256
        interruptCount = count
        for intid in 32..<count { spis[intid] = Interrupt() }
        for (_, affinity) in vcpuAffinities() where redistributors[affinity] == nil {
            var privateIRQs = [Interrupt](repeating: Interrupt(), count: 32)
            for intid in 0..<16 { privateIRQs[intid].enabled = true }
            for intid in 16..<32 { privateIRQs[intid].edge = false }
            redistributors[affinity] = Redistributor(
                privateIRQs: privateIRQs, cpu: CPUInterface(priorityBits: hostPriorityBits))
        }
    }

    private func addressAttribute(_ type: UInt64, _ address: UnsafeMutableRawPointer, _ isWrite: Bool) -> Int {
        switch type {
        case UInt64(CKVM_VGIC_V3_ADDR_TYPE_DIST):
            if isWrite {
                guard distributorBase == UInt64.max else { return -Int(Errno.EEXIST.rawValue) }
                distributorBase = address.load(as: UInt64.self)
            } else {
                address.storeBytes(of: distributorBase, as: UInt64.self)
            }
            return 0
        case UInt64(CKVM_VGIC_V3_ADDR_TYPE_REDIST):
            if isWrite {
                guard regionWords.isEmpty else { return -Int(Errno.EEXIST.rawValue) }
                regionWords = [address.load(as: UInt64.self) & RedistributorRegion.baseMask]
            } else {
                address.storeBytes(of: regionWords.first.map { $0 & RedistributorRegion.baseMask } ?? UInt64.max, as: UInt64.self)
            }
            return 0
        case UInt64(CKVM_VGIC_V3_ADDR_TYPE_REDIST_REGION):
            let word = address.load(as: UInt64.self)
            let index = Int(word & RedistributorRegion.indexMask)
            if isWrite {
                guard index == regionWords.count else { return -Int(Errno.EINVAL.rawValue) }
                regionWords.append(word)
            } else {
                guard index < regionWords.count else { return -Int(Errno.ENOENT.rawValue) }
                address.storeBytes(of: regionWords[index], as: UInt64.self)
            }
            return 0
        default:
            return -Int(Errno.ENXIO.rawValue)
        }
    }

    // MARK: - Registers

    private func registerAttribute(_ attribute: AttributeAddress, _ address: UnsafeMutableRawPointer, _ isWrite: Bool) -> Int {
        let affinity = attribute.selector
        switch attribute.group {
        case .distributorRegisters:
            let offset = UInt32(truncatingIfNeeded: attribute.attr)
            if isWrite {
                return distributorWrite(offset, address.load(as: UInt32.self))
            }
            address.storeBytes(of: distributorRead(offset), as: UInt32.self)
            return 0
        case .redistributorRegisters:
            guard redistributors[affinity] != nil else { return -Int(Errno.EINVAL.rawValue) }
            let offset = UInt32(truncatingIfNeeded: attribute.attr)
            if isWrite {
                redistributorWrite(affinity, offset, address.load(as: UInt32.self))
            } else {
                address.storeBytes(of: redistributorRead(affinity, offset), as: UInt32.self)
            }
            return 0
        case .levelInfo:
            guard redistributors[affinity] != nil else { return -Int(Errno.EINVAL.rawValue) }
            let first = UInt32(truncatingIfNeeded: attribute.attr & 0x3FF)
            guard first % 32 == 0, attribute.attr & 0xFFFF_FC00 == 0 else { return -Int(Errno.EINVAL.rawValue) }
            if isWrite {
                let bits = address.load(as: UInt32.self)
                for bit in 0..<UInt32(32) where first + bit >= 16 && first + bit < (interruptCount ?? 0) {
                    update(affinity, first + bit) { $0.line = bits & (1 << bit) != 0 }
                }
            } else {
                var bits: UInt32 = 0
                for bit in 0..<UInt32(32) where first + bit >= 16 && first + bit < (interruptCount ?? 0) {
                    if let irq = interrupt(affinity, first + bit), !irq.edge, irq.line { bits |= 1 << bit }
                }
                address.storeBytes(of: bits, as: UInt32.self)
            }
            return 0
        case .cpuSysregs:
            guard redistributors[affinity] != nil else { return -Int(Errno.EINVAL.rawValue) }
            let instr = UInt16(truncatingIfNeeded: attribute.attr & 0xFFFF)
            if isWrite {
                return sysregWrite(affinity, instr, address.load(as: UInt64.self))
            }
            var value: UInt64 = 0
            let result = sysregRead(affinity, instr, &value)
            if result == 0 { address.storeBytes(of: value, as: UInt64.self) }
            return result
        default:
            return -Int(Errno.ENXIO.rawValue)
        }
    }

    private func interrupt(_ affinity: UInt32, _ intid: UInt32) -> Interrupt? {
        if intid < 32 { return redistributors[affinity]?.privateIRQs[Int(intid)] }
        return spis[intid]
    }

    private func update(_ affinity: UInt32, _ intid: UInt32, _ change: (inout Interrupt) -> Void) {
        if intid < 32 {
            guard var redistributor = redistributors[affinity] else { return }
            change(&redistributor.privateIRQs[Int(intid)])
            redistributors[affinity] = redistributor
        } else if var irq = spis[intid] {
            change(&irq)
            spis[intid] = irq
        }
    }

    /// Reads the per-interrupt bank word at `offset - base` (1, 2 or 8 bits per INTID).
    private func bankRead(_ affinity: UInt32, firstINTID: UInt32, bits: UInt32, _ field: (Interrupt) -> UInt32) -> UInt32 {
        var word: UInt32 = 0
        for slot in 0..<(32 / bits) {
            if let irq = interrupt(affinity, firstINTID + slot) { word |= field(irq) << (slot * bits) }
        }
        return word
    }

    private func bankWrite(_ affinity: UInt32, firstINTID: UInt32, bits: UInt32, _ value: UInt32, _ apply: (inout Interrupt, UInt32) -> Void) {
        let mask: UInt32 = bits == 32 ? UInt32.max : (1 << bits) - 1
        for slot in 0..<(32 / bits) {
            update(affinity, firstINTID + slot) { apply(&$0, (value >> (slot * bits)) & mask) }
        }
    }

    /// The shared per-interrupt banks, at bank-relative offsets, for both frames.
    private func perInterruptRead(_ affinity: UInt32, _ relative: UInt32, _ first: (UInt32) -> UInt32?) -> UInt32? {
        switch relative {
        case 0x080..<0x100: first(relative - 0x080).map { bankRead(affinity, firstINTID: $0 * 8, bits: 1) { $0.group ? 1 : 0 } }
        case 0x100..<0x200: first((relative - 0x100) % 0x80).map { bankRead(affinity, firstINTID: $0 * 8, bits: 1) { $0.enabled ? 1 : 0 } }
        case 0x200..<0x280: first(relative - 0x200).map { bankRead(affinity, firstINTID: $0 * 8, bits: 1) { $0.latch ? 1 : 0 } }
        case 0x280..<0x300: 0
        case 0x300..<0x400: first((relative - 0x300) % 0x80).map { bankRead(affinity, firstINTID: $0 * 8, bits: 1) { $0.active ? 1 : 0 } }
        case 0x400..<0x800: first(relative - 0x400).map { bankRead(affinity, firstINTID: $0, bits: 8) { UInt32($0.priority) } }
        case 0xC00..<0xD00: first(relative - 0xC00).map { bankRead(affinity, firstINTID: $0 * 4, bits: 2) { $0.edge ? 2 : 0 } }
        default: nil
        }
    }

    private func perInterruptWrite(_ affinity: UInt32, _ relative: UInt32, _ value: UInt32, _ first: (UInt32) -> UInt32?) {
        switch relative {
        case 0x080..<0x100:
            if let byte = first(relative - 0x080) { bankWrite(affinity, firstINTID: byte * 8, bits: 1, value) { $0.group = $1 != 0 } }
        case 0x100..<0x180:
            if let byte = first(relative - 0x100) { bankWrite(affinity, firstINTID: byte * 8, bits: 1, value) { if $1 != 0 { $0.enabled = true } } }
        case 0x180..<0x200:
            if let byte = first(relative - 0x180) { bankWrite(affinity, firstINTID: byte * 8, bits: 1, value) { if $1 != 0 { $0.enabled = false } } }
        case 0x200..<0x280:
            if let byte = first(relative - 0x200) { bankWrite(affinity, firstINTID: byte * 8, bits: 1, value) { $0.latch = $1 != 0 } }
        case 0x300..<0x380:
            if let byte = first(relative - 0x300) { bankWrite(affinity, firstINTID: byte * 8, bits: 1, value) { if $1 != 0 { $0.active = true } } }
        case 0x380..<0x400:
            if let byte = first(relative - 0x380) { bankWrite(affinity, firstINTID: byte * 8, bits: 1, value) { if $1 != 0 { $0.active = false } } }
        case 0x400..<0x800:
            if let byte = first(relative - 0x400) { bankWrite(affinity, firstINTID: byte, bits: 8, value) { $0.priority = UInt8($1 & 0xF8) } }
        case 0xC00..<0xD00:
            if let byte = first(relative - 0xC00) {
                bankWrite(affinity, firstINTID: byte * 4, bits: 2, value) { irq, field in
                    irq.edge = field & 2 != 0
                }
            }
        default:
            break
        }
    }

    private func distributorRead(_ offset: UInt32) -> UInt32 {
        let count = interruptCount ?? 0
        switch offset {
        case 0x0: return (distributorEnabled ? 2 : 0) | 0x10 | 0x40
        case 0x4: return (count / 32 - 1) | (hasITS ? (15 << 19 | 1 << 17) : 9 << 19)
        case 0x8: return 0x4B << 24 | revision << 12 | 0x43B
        case 0xC: return 0
        case 0x10: return UInt32.max
        case 0x6000..<0x8000:
            let intid = (offset - 0x6000) / 8
            guard offset % 8 == 0, intid >= 32, intid < count else { return 0 }
            return spis[intid]?.route ?? 0
        default:
            // Banks: the first 32 INTIDs are RAZ/WI, words past NR_IRQS are ignored.
            return perInterruptRead(0, offset, { byte in self.sharedFirst(byte, offset, count) }) ?? 0
        }
    }

    private func distributorWrite(_ offset: UInt32, _ value: UInt32) -> Int {
        let count = interruptCount ?? 0
        switch offset {
        case 0x0: distributorEnabled = value & 2 != 0
        case 0x8:
            let current = distributorRead(0x8)
            guard (current ^ value) & ~UInt32(0xF000) == 0 else { return -Int(Errno.EINVAL.rawValue) }
            let requested = (value >> 12) & 0xF
            guard requested == 2 || requested == 3 else { return -Int(Errno.EINVAL.rawValue) }
            revision = requested
        case 0xC: return value == 0 ? 0 : -Int(Errno.EINVAL.rawValue)
        case 0x6000..<0x8000:
            let intid = (offset - 0x6000) / 8
            guard offset % 8 == 0, intid >= 32, intid < count else { return 0 }
            spis[intid]?.route = value & 0xFF_FFFF
        default:
            perInterruptWrite(0, offset, value, { byte in self.sharedFirst(byte, offset, count) })
        }
        return 0
    }

    /// For a distributor bank: the byte offset of the word within its bank if the word lies in
    /// the SPI range below NR_IRQS, else nil (RAZ/WI).
    private func sharedFirst(_ byteInBank: UInt32, _ offset: UInt32, _ count: UInt32) -> UInt32? {
        let bitsPerINTID: UInt32
        switch offset {
        case 0x400..<0x800: bitsPerINTID = 8
        case 0xC00..<0xD00: bitsPerINTID = 2
        default: bitsPerINTID = 1
        }
        let firstINTID = byteInBank * 8 / bitsPerINTID
        guard firstINTID >= 32, firstINTID < count else { return nil }
        return byteInBank
    }

    private func redistributorRead(_ affinity: UInt32, _ offset: UInt32) -> UInt32 {
        guard let redistributor = redistributors[affinity] else { return 0 }
        switch offset {
        case 0x0: return redistributor.ctlr | (revision >= 3 ? 0x3 << 24 : 0) // IR | CES
        case 0x4: return 0x4B << 24 | 0x43B
        case 0x8, 0xC:
            let id = vcpuAffinities().first { $0.1 == affinity }?.0 ?? 0
            let last = vcpuAffinities().map { $0.0 }.max() == id ? UInt64(1 << 4) : 0
            let typer = UInt64(affinity & 0xFF_FFFF) << 32 | UInt64(id & 0xFFFF) << 8 | last
            return UInt32(truncatingIfNeeded: offset == 0x8 ? typer : typer >> 32)
        case 0x70: return UInt32(truncatingIfNeeded: propbaser)
        case 0x74: return UInt32(truncatingIfNeeded: propbaser >> 32)
        case 0x78: return UInt32(truncatingIfNeeded: redistributor.pendbaser & ~(1 << 62))
        case 0x7C: return UInt32(truncatingIfNeeded: (redistributor.pendbaser & ~(1 << 62)) >> 32)
        case 0x1_0000..<0x1_0C00:
            return perInterruptRead(affinity, offset - 0x1_0000, { byte in Self.privateFirst(byte, offset) }) ?? 0
        case 0x1_0C00, 0x1_0C04:
            return bankRead(affinity, firstINTID: (offset - 0x1_0C00) * 4, bits: 2) { $0.edge ? 2 : 0 }
        default:
            return 0
        }
    }

    /// `vgic_sanitise_propbaser`/`_pendbaser`, the part that matters here: an inner
    /// cacheability of nCnB or nC (bits 9:7 = 0 or 1) becomes RaWb (3), OuterShareable (bits
    /// 11:10 = 2) becomes InnerShareable. The reset value 0 is not sanitised: writing it back
    /// stores 0x180.
    static func sanitise(_ value: UInt64) -> UInt64 {
        var result = value
        if (result >> 7) & 7 <= 1 { result = result & ~(7 << 7) | 3 << 7 }
        if (result >> 10) & 3 == 2 { result = result & ~(3 << 10) | 1 << 10 }
        return result
    }

    /// For the SGI frame: the byte offset within the bank if it addresses the 32 private INTIDs.
    private static func privateFirst(_ byte: UInt32, _ offset: UInt32) -> UInt32? {
        let isPriority = offset >= 0x1_0400 && offset < 0x1_0420
        return byte < (isPriority ? 32 : 4) ? byte : nil
    }

    private func redistributorWrite(_ affinity: UInt32, _ offset: UInt32, _ value: UInt32) {
        guard let current = redistributors[affinity] else { return }
        let lpisEnabled = current.ctlr & 1 != 0
        switch offset {
        case 0x0:
            if hasITS { redistributors[affinity]?.ctlr = value & 1 }
        case 0x70: if !lpisEnabled { propbaser = Self.sanitise(propbaser & 0xFFFF_FFFF_0000_0000 | UInt64(value)) }
        case 0x74: if !lpisEnabled { propbaser = Self.sanitise(propbaser & 0xFFFF_FFFF | UInt64(value) << 32) }
        case 0x78: if !lpisEnabled { redistributors[affinity]?.pendbaser = Self.sanitise(current.pendbaser & 0xFFFF_FFFF_0000_0000 | UInt64(value)) }
        case 0x7C: if !lpisEnabled { redistributors[affinity]?.pendbaser = Self.sanitise(current.pendbaser & 0xFFFF_FFFF | UInt64(value) << 32) }
        case 0x1_0000..<0x1_0C00:
            // Writes to private INTIDs' ICFGR are ignored by the kernel; this range has none.
            perInterruptWrite(affinity, offset - 0x1_0000, value, { byte in Self.privateFirst(byte, offset) })
        default:
            break
        }
    }

    private func sysregRead(_ affinity: UInt32, _ instr: UInt16, _ value: inout UInt64) -> Int {
        guard let cpu = redistributors[affinity]?.cpu else { return -Int(Errno.EINVAL.rawValue) }
        let maxAPR: UInt16 = cpu.priorityBits == 7 ? 3 : cpu.priorityBits == 6 ? 1 : 0
        switch instr {
        case 0xC230: value = cpu.pmr
        case 0xC643: value = cpu.bpr0
        case 0xC663: value = cpu.cbpr ? Swift.min(cpu.bpr0 + 1, 7) : cpu.abpr
        case 0xC664:
            value = UInt64(cpu.priorityBits - 1) << 8 | hostControlConstants | (cpu.cbpr ? 1 : 0) | (cpu.eoimode ? 2 : 0)
        case 0xC665: value = 0x7
        case 0xC666: value = cpu.igrpen0
        case 0xC667: value = cpu.igrpen1
        case 0xC644...0xC647:
            guard instr - 0xC644 <= maxAPR else { return -Int(Errno.EINVAL.rawValue) }
            value = cpu.ap0r[Int(instr - 0xC644)]
        case 0xC648...0xC64B:
            guard instr - 0xC648 <= maxAPR else { return -Int(Errno.EINVAL.rawValue) }
            value = cpu.ap1r[Int(instr - 0xC648)]
        default: return -Int(Errno.ENXIO.rawValue)
        }
        return 0
    }

    private func sysregWrite(_ affinity: UInt32, _ instr: UInt16, _ value: UInt64) -> Int {
        guard var cpu = redistributors[affinity]?.cpu else { return -Int(Errno.EINVAL.rawValue) }
        let maxAPR: UInt16 = cpu.priorityBits == 7 ? 3 : cpu.priorityBits == 6 ? 1 : 0
        switch instr {
        case 0xC230: cpu.pmr = value & 0xFF
        case 0xC643: cpu.bpr0 = value & 0x7
        case 0xC663: if !cpu.cbpr { cpu.abpr = value & 0x7 }
        case 0xC664:
            let bits = UInt32((value >> 8) & 0x7) + 1
            guard bits <= cpu.priorityBits, (value >> 11) & 0x7 <= (hostControlConstants >> 11) & 0x7,
                value & 0xC000 == hostControlConstants & 0xC000
            else { return -Int(Errno.EINVAL.rawValue) }
            cpu.priorityBits = bits
            cpu.cbpr = value & 1 != 0
            cpu.eoimode = value & 2 != 0
        case 0xC665: guard value & 1 != 0 else { return -Int(Errno.EINVAL.rawValue) }
        case 0xC666: cpu.igrpen0 = value & 1
        case 0xC667: cpu.igrpen1 = value & 1
        case 0xC644...0xC647:
            guard instr - 0xC644 <= maxAPR else { return -Int(Errno.EINVAL.rawValue) }
            cpu.ap0r[Int(instr - 0xC644)] = value & 0xFFFF_FFFF
        case 0xC648...0xC64B:
            guard instr - 0xC648 <= maxAPR else { return -Int(Errno.EINVAL.rawValue) }
            cpu.ap1r[Int(instr - 0xC648)] = value & 0xFFFF_FFFF
        default: return -Int(Errno.ENXIO.rawValue)
        }
        redistributors[affinity]?.cpu = cpu
        return 0
    }

    // MARK: - Comparison

    /// The state without edge interrupts' line levels: what any userspace reader can see.
    static func visible(_ irqs: [UInt32: Interrupt]) -> [UInt32: Interrupt] {
        irqs.mapValues { irq in
            var copy = irq
            if copy.edge { copy.line = false }
            return copy
        }
    }

    /// Also without ICC_BPR1's own value while CBPR is set: then BPR1 reads BPR0 + 1 and
    /// ignores writes (`get_gic_bpr1`/`set_gic_bpr1`), so no userspace reader sees it.
    static func visible(_ redistributor: Redistributor) -> Redistributor {
        var copy = redistributor
        for index in copy.privateIRQs.indices where copy.privateIRQs[index].edge { copy.privateIRQs[index].line = false }
        if copy.cpu.cbpr { copy.cpu.abpr = 0 }
        return copy
    }

    // MARK: - Line injection

    /// What `KVM_IRQ_LINE` does to the state: level lines follow, edges latch on 1.
    func inject(intid: UInt32, vcpuAffinity: UInt32, level: Bool) {
        update(vcpuAffinity, intid) { irq in
            if irq.edge { if level { irq.latch = true } } else { irq.line = level }
        }
    }
}
