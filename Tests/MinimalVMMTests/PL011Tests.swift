import Testing

@testable import MinimalVMM

/// The PL011 model as Linux's amba-pl011 driver uses it (MinimalVMM.docc/PL011.md): 16-bit
/// accesses, the receive path through the FIFO and its level interrupt, transmit, and the
/// identification the AMBA bus matches.
@Suite("PL011")
struct PL011Tests {
    /// A UART set up as amba-pl011's startup and set_termios leave it: FIFOs on, the UART and
    /// both directions enabled, receive and timeout interrupts unmasked.
    static func started() -> PL011 {
        var uart = PL011()
        uart.write(offset: PL011Register.lineControl, size: 2, value: 0x70)  // 8 bits, FEN
        uart.write(offset: PL011Register.control, size: 2, value: 0x301)  // UARTEN, TXE, RXE
        uart.write(offset: PL011Register.interruptMask, size: 2, value: UInt64(PL011Register.intReceive | PL011Register.intReceiveTimeout))
        return uart
    }

    @Test("the identification registers read Arm's PL011 r1p5 and the PrimeCell id, one byte a word")
    func identification() {
        var uart = PL011()
        let bytes = (0..<8).map { uart.read(offset: 0xFE0 + UInt64($0) * 4, size: 4) }
        #expect(bytes == [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1])
        let periph = bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24
        #expect(periph & 0x000F_FFFF == 0x0004_1011, "the id amba-pl011 matches with mask 0xfffff")
    }

    @Test("reset: UARTFR has both FIFOs empty, UARTCR 0x300, UARTIFLS 0x12, no interrupt")
    func reset() {
        var uart = PL011()
        #expect(uart.read(offset: PL011Register.flags, size: 2) == 0x90)
        #expect(uart.read(offset: PL011Register.control, size: 2) == 0x300)
        #expect(uart.read(offset: PL011Register.fifoLevels, size: 2) == 0x12)
        #expect(!uart.interruptLevel)
    }

    @Test("bytes sent before the receiver is enabled wait on the line, then fill the FIFO")
    func lineWaitsForEnable() {
        var uart = PL011()
        uart.receive([0x41, 0x42])
        #expect(uart.receiveFIFO.isEmpty)
        #expect(uart.line == [0x41, 0x42])
        uart = Self.startedKeeping(uart)
        #expect(uart.receiveFIFO == [0x41, 0x42])
        #expect(uart.line.isEmpty)
    }

    static func startedKeeping(_ uart: PL011) -> PL011 {
        var uart = uart
        uart.write(offset: PL011Register.lineControl, size: 2, value: 0x70)
        uart.write(offset: PL011Register.control, size: 2, value: 0x301)
        return uart
    }

    @Test("received bytes raise the level line through RTIS at once and RXIS at the trigger; reading them all lowers it")
    func receiveLevel() {
        var uart = Self.started()
        uart.receive([0x61])
        #expect(uart.interruptLevel)
        #expect(uart.read(offset: PL011Register.rawInterruptStatus, size: 2) & 0x70 == 0x60, "RTIS and TXIS, not RXIS below 8")
        uart.receive(Array(repeating: 0x62, count: 7))
        #expect(uart.read(offset: PL011Register.maskedInterruptStatus, size: 2) == 0x50, "RXIS at the half-full trigger")
        // The guest's ICR of RX/RT does not lower a level whose condition holds.
        uart.write(offset: PL011Register.interruptClear, size: 2, value: 0x50)
        #expect(uart.interruptLevel)
        var got: [UInt8] = []
        while uart.read(offset: PL011Register.flags, size: 2) & UInt64(PL011Register.frReceiveEmpty) == 0 {
            got.append(UInt8(uart.read(offset: PL011Register.data, size: 2)))
        }
        #expect(got == [0x61] + Array(repeating: 0x62, count: 7))
        #expect(!uart.interruptLevel)
    }

    @Test("more than 16 bytes: the FIFO fills, the rest waits on the line and follows as the guest reads, each once, in order")
    func burst() {
        var uart = Self.started()
        let sent = (0..<40).map { UInt8(0x30 + $0) }
        uart.receive(sent)
        #expect(uart.receiveFIFO.count == 16)
        #expect(uart.read(offset: PL011Register.flags, size: 2) & UInt64(PL011Register.frReceiveFull) != 0)
        var got: [UInt8] = []
        while uart.interruptLevel {
            got.append(UInt8(uart.read(offset: PL011Register.data, size: 2)))
        }
        #expect(got == sent)
    }

    @Test("without FIFOs the holding register takes one byte at a time")
    func noFIFO() {
        var uart = PL011()
        uart.write(offset: PL011Register.control, size: 2, value: 0x301)
        uart.receive([1, 2, 3])
        #expect(uart.receiveFIFO == [1])
        #expect(uart.receiveTrigger == 1)
        #expect(uart.read(offset: PL011Register.data, size: 2) == 1)
        #expect(uart.receiveFIFO == [2])
    }

    @Test("the receive trigger follows UARTIFLS.RXIFLSEL", arguments: [(0, 2), (1, 4), (2, 8), (3, 12), (4, 14)])
    func trigger(select: UInt64, level: Int) {
        var uart = Self.started()
        uart.write(offset: PL011Register.fifoLevels, size: 2, value: select << 3)
        #expect(uart.receiveTrigger == level)
    }

    @Test("transmit: every UARTDR write is sent, TXIS stays raised (the FIFO empties at once), and only TXIM lets it out")
    func transmit() {
        var uart = Self.started()
        for byte in "hi\n".utf8 { uart.write(offset: PL011Register.data, size: 2, value: UInt64(byte)) }
        #expect(uart.takeTransmitted() == Array("hi\n".utf8))
        #expect(uart.takeTransmitted().isEmpty)
        #expect(!uart.interruptLevel)
        uart.write(offset: PL011Register.interruptMask, size: 2, value: UInt64(PL011Register.intTransmit))
        #expect(uart.interruptLevel)
        #expect(uart.read(offset: PL011Register.flags, size: 2) & UInt64(PL011Register.frTransmitEmpty) != 0)
    }

    @Test("byte and halfword accesses select bytes of the word")
    func narrowAccess() {
        var uart = PL011()
        uart.write(offset: PL011Register.integerBaudRate, size: 4, value: 0x1234)
        #expect(uart.read(offset: PL011Register.integerBaudRate, size: 1) == 0x34)
        #expect(uart.read(offset: PL011Register.integerBaudRate + 1, size: 1) == 0x12)
        #expect(uart.read(offset: PL011Register.integerBaudRate, size: 2) == 0x1234)
    }

    @Test("a migrated copy carries FIFO, line and registers: the copy delivers what the original would")
    func copyCarriesState() {
        var uart = Self.started()
        uart.receive(Array(repeating: 0x7A, count: 20))
        var copy = uart
        #expect(copy == uart)
        let a = (0..<20).map { _ in uart.read(offset: 0, size: 2) }
        let b = (0..<20).map { _ in copy.read(offset: 0, size: 2) }
        #expect(a == b)
    }
}
