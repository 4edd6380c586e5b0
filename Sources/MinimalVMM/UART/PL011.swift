/// An Arm PrimeCell PL011 UART as a value: its registers, a receive FIFO fed from a line the
/// host writes into, what the guest transmitted, and the level of its interrupt output
/// (MinimalVMM.docc/PL011.md).
///
/// Pure and deterministic, so it is tested on any machine and copied whole in a migration.
/// The VMM calls `read`/`write` for the guest's MMIO accesses and `receive` for host input,
/// and drives the interrupt line whenever `interruptLevel` changes. Receive and transmit
/// interrupts are levels of the FIFO state (the receive timeout counts as elapsed at once, and
/// the transmit FIFO empties at once), so the guest's clear in UARTICR does not lower them while
/// their condition holds, as on the hardware, where a cleared timeout re-asserts with data left.
public struct PL011: Hashable, Sendable {
    /// The register window's size.
    public static let windowSize: UInt64 = 0x1000
    /// The receive FIFO's depth with UARTLCR_H.FEN set (16 in revisions r1p0–r1p5).
    public static let fifoDepth = 16

    /// Bytes the guest can read, oldest first (at most `capacity`).
    public private(set) var receiveFIFO: [UInt8] = []
    /// Bytes the host sent that have not fit into the FIFO yet: the serial line, which never
    /// overruns here (the sender waits, as with hardware flow control).
    public private(set) var line: [UInt8] = []
    /// Bytes the guest wrote to UARTDR since the last `takeTransmitted()`.
    public private(set) var transmitted: [UInt8] = []

    public private(set) var control: UInt32 = PL011Register.resetControl
    public private(set) var lineControl: UInt32 = 0
    public private(set) var fifoLevels: UInt32 = PL011Register.resetFIFOLevels
    public private(set) var interruptMask: UInt32 = 0
    public private(set) var integerBaudRate: UInt32 = 0
    public private(set) var fractionalBaudRate: UInt32 = 0
    public private(set) var irdaLowPower: UInt32 = 0
    public private(set) var dmaControl: UInt32 = 0
    /// Latched interrupts that are not FIFO levels (modem and error bits): never raised by this
    /// model (no modem lines, no line errors), kept so UARTICR and UARTRIS behave.
    public private(set) var latchedInterrupts: UInt32 = 0

    public init() {}

    /// How many bytes the receive FIFO holds: 16 with FIFOs enabled, else the one holding
    /// register.
    public var capacity: Int { lineControl & PL011Register.lcrhFIFOEnable != 0 ? Self.fifoDepth : 1 }

    /// Whether the receiver takes bytes off the line: UARTEN and RXE.
    public var receiving: Bool {
        control & PL011Register.crEnable != 0 && control & PL011Register.crReceiveEnable != 0
    }

    /// The receive interrupt's trigger level, from UARTIFLS.RXIFLSEL (1/8 … 7/8 of the FIFO).
    public var receiveTrigger: Int {
        guard lineControl & PL011Register.lcrhFIFOEnable != 0 else { return 1 }
        switch (fifoLevels >> 3) & 7 {
        case 0: return Self.fifoDepth / 8
        case 1: return Self.fifoDepth / 4
        case 2: return Self.fifoDepth / 2
        case 3: return Self.fifoDepth * 3 / 4
        default: return Self.fifoDepth * 7 / 8
        }
    }

    /// UARTRIS: the raw interrupt status.
    public var rawInterrupts: UInt32 {
        var raw = latchedInterrupts
        if receiveFIFO.count >= receiveTrigger { raw |= PL011Register.intReceive }
        if !receiveFIFO.isEmpty { raw |= PL011Register.intReceiveTimeout }
        raw |= PL011Register.intTransmit  // the transmit FIFO is always empty
        return raw
    }

    /// UARTMIS: raw status under the mask.
    public var maskedInterrupts: UInt32 { rawInterrupts & interruptMask }

    /// UARTINTR, the combined interrupt output the VMM wires to a level-sensitive SPI.
    public var interruptLevel: Bool { maskedInterrupts != 0 }

    /// UARTFR.
    public var flags: UInt32 {
        var flags = PL011Register.frTransmitEmpty
        if receiveFIFO.isEmpty { flags |= PL011Register.frReceiveEmpty }
        if receiveFIFO.count >= capacity { flags |= PL011Register.frReceiveFull }
        return flags
    }

    /// The host sends `bytes` down the line; they enter the FIFO as it has room.
    public mutating func receive(_ bytes: [UInt8]) {
        line.append(contentsOf: bytes)
        refill()
    }

    /// Hands over what the guest transmitted since the last call.
    public mutating func takeTransmitted() -> [UInt8] {
        defer { transmitted.removeAll(keepingCapacity: true) }
        return transmitted
    }

    /// A guest read of `size` bytes (1, 2 or 4) at `offset` in the window.
    public mutating func read(offset: UInt64, size: Int) -> UInt64 {
        let register = offset & ~3
        let value: UInt32
        switch register {
        case PL011Register.data:
            if receiveFIFO.isEmpty {
                value = 0
            } else {
                value = UInt32(receiveFIFO.removeFirst())
                refill()
            }
        case PL011Register.receiveStatus: value = 0
        case PL011Register.flags: value = flags
        case PL011Register.irdaLowPower: value = irdaLowPower
        case PL011Register.integerBaudRate: value = integerBaudRate
        case PL011Register.fractionalBaudRate: value = fractionalBaudRate
        case PL011Register.lineControl: value = lineControl
        case PL011Register.control: value = control
        case PL011Register.fifoLevels: value = fifoLevels
        case PL011Register.interruptMask: value = interruptMask
        case PL011Register.rawInterruptStatus: value = rawInterrupts
        case PL011Register.maskedInterruptStatus: value = maskedInterrupts
        case PL011Register.dmaControl: value = dmaControl
        case PL011Register.identificationBase..<(PL011Register.identificationBase + 0x20):
            value = UInt32(PL011Register.identification[Int((register - PL011Register.identificationBase) / 4)])
        default: value = 0
        }
        return Self.narrow(UInt64(value) >> (8 * (offset & 3)), size: size)
    }

    /// A guest write of `size` bytes at `offset`.
    public mutating func write(offset: UInt64, size: Int, value: UInt64) {
        let register = offset & ~3
        let word = UInt32(truncatingIfNeeded: Self.narrow(value, size: size) << (8 * (offset & 3)))
        switch register {
        case PL011Register.data:
            transmitted.append(UInt8(truncatingIfNeeded: word))
        case PL011Register.receiveStatus: break  // clears the error flags, of which there are none
        case PL011Register.irdaLowPower: irdaLowPower = word & 0xff
        case PL011Register.integerBaudRate: integerBaudRate = word & 0xffff
        case PL011Register.fractionalBaudRate: fractionalBaudRate = word & 0x3f
        case PL011Register.lineControl:
            lineControl = word & 0xff
            refill()
        case PL011Register.control:
            control = word & 0xffff
            refill()
        case PL011Register.fifoLevels: fifoLevels = word & 0x3f
        case PL011Register.interruptMask: interruptMask = word & PL011Register.interruptBits
        case PL011Register.interruptClear: latchedInterrupts &= ~word
        case PL011Register.dmaControl: dmaControl = word & 0x7
        default: break  // read-only or reserved
        }
    }

    /// Moves bytes from the line into the FIFO while the receiver is on and has room.
    private mutating func refill() {
        guard receiving else { return }
        while !line.isEmpty && receiveFIFO.count < capacity {
            receiveFIFO.append(line.removeFirst())
        }
    }

    private static func narrow(_ value: UInt64, size: Int) -> UInt64 {
        size >= 8 ? value : value & ((1 << (8 * UInt64(size))) - 1)
    }
}
