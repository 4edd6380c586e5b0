/// The PL011's combined interrupt line as the GICv5 guest drives it: the wire of SPI 1 on QEMU's
/// `virt` board (`pl011@9000000`, interrupts `<3 1 4>`), the one SPI a bare-metal guest can raise
/// and lower at will, so the IRS's wire sampling (transitions V3–V6) is checked against QEMU too.
///
/// Only what the cases touch: the transmit interrupt. Every write to UARTDR (the runtime's own
/// report lines included) sets its raw status (UARTRIS.TXRIS, bit 5), a write of bit 5 to UARTICR
/// (0x44) clears it, UARTIMSC (0x38) masks it, and the line is raw status AND mask (PrimeCell UART
/// PL011 TRM, ARM DDI 0183, 3.3.10–3.3.13 and 3.4; QEMU `hw/char/pl011.c`: `int_level |= INT_TX`
/// on a UARTDR write, `pl011_update()`).
struct GICv5UARTLine: Hashable, Sendable {
    static let data: UInt32 = 0x00
    static let control: UInt32 = 0x30
    static let interruptMask: UInt32 = 0x38
    static let rawStatus: UInt32 = 0x3C
    static let maskedStatus: UInt32 = 0x40
    static let interruptClear: UInt32 = 0x44
    /// TXRIS / TXIM / TXIC.
    static let transmit: UInt32 = 1 << 5

    var rawStatus: UInt32 = 0
    var mask: UInt32 = 0
    var control: UInt32 = 0x300

    /// The level of the UART's combined interrupt line (the SPI's wire).
    var level: Bool { rawStatus & mask != 0 }

    func read(_ offset: UInt32) -> UInt32? {
        switch offset {
        case Self.interruptMask: mask
        case Self.rawStatus: rawStatus
        case Self.maskedStatus: rawStatus & mask
        case Self.control: control
        default: nil
        }
    }

    /// A register write; false for a register the model does not know.
    mutating func write(_ offset: UInt32, _ value: UInt32) -> Bool {
        switch offset {
        case Self.data: rawStatus |= Self.transmit
        case Self.interruptMask: mask = value & 0x7FF
        case Self.interruptClear: rawStatus &= ~value
        case Self.control: control = value
        default: return false
        }
        return true
    }
}
