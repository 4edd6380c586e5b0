/// The PL011's register offsets and bits (MinimalVMM.docc/PL011.md, from the PrimeCell UART
/// (PL011) Technical Reference Manual, chapter 3).
public enum PL011Register {
    /// UARTDR: read pops the receive FIFO (data in 7:0, error flags in 11:8), write transmits.
    public static let data: UInt64 = 0x000
    /// UARTRSR/UARTECR.
    public static let receiveStatus: UInt64 = 0x004
    /// UARTFR, read-only.
    public static let flags: UInt64 = 0x018
    /// UARTILPR.
    public static let irdaLowPower: UInt64 = 0x020
    /// UARTIBRD.
    public static let integerBaudRate: UInt64 = 0x024
    /// UARTFBRD.
    public static let fractionalBaudRate: UInt64 = 0x028
    /// UARTLCR_H.
    public static let lineControl: UInt64 = 0x02C
    /// UARTCR.
    public static let control: UInt64 = 0x030
    /// UARTIFLS.
    public static let fifoLevels: UInt64 = 0x034
    /// UARTIMSC.
    public static let interruptMask: UInt64 = 0x038
    /// UARTRIS, read-only.
    public static let rawInterruptStatus: UInt64 = 0x03C
    /// UARTMIS, read-only.
    public static let maskedInterruptStatus: UInt64 = 0x040
    /// UARTICR, write-only.
    public static let interruptClear: UInt64 = 0x044
    /// UARTDMACR.
    public static let dmaControl: UInt64 = 0x048
    /// UARTPeriphID0 … UARTPCellID3, one byte in each word from 0xFE0.
    public static let identificationBase: UInt64 = 0xFE0
    /// Part number 0x011, designer 0x41 (Arm), revision 1 (r1p5), then the PrimeCell id
    /// 0xB105F00D: what the AMBA bus driver matches against `arm,pl011`'s id 0x00041011.
    public static let identification: [UInt8] = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]

    /// UARTFR.RXFE, receive FIFO empty.
    public static let frReceiveEmpty: UInt32 = 1 << 4
    /// UARTFR.TXFF, transmit FIFO full.
    public static let frTransmitFull: UInt32 = 1 << 5
    /// UARTFR.RXFF, receive FIFO full.
    public static let frReceiveFull: UInt32 = 1 << 6
    /// UARTFR.TXFE, transmit FIFO empty.
    public static let frTransmitEmpty: UInt32 = 1 << 7

    /// UARTLCR_H.FEN.
    public static let lcrhFIFOEnable: UInt32 = 1 << 4
    /// UARTCR.UARTEN.
    public static let crEnable: UInt32 = 1 << 0
    /// UARTCR.TXE.
    public static let crTransmitEnable: UInt32 = 1 << 8
    /// UARTCR.RXE.
    public static let crReceiveEnable: UInt32 = 1 << 9
    /// UARTCR at reset: TXE and RXE set, the UART disabled.
    public static let resetControl: UInt32 = 0x300
    /// UARTIFLS at reset: both trigger levels at half.
    public static let resetFIFOLevels: UInt32 = 0x12

    /// RXRIS/RXIM: receive FIFO at or above its trigger level.
    public static let intReceive: UInt32 = 1 << 4
    /// TXRIS/TXIM: transmit FIFO at or below its trigger level.
    public static let intTransmit: UInt32 = 1 << 5
    /// RTRIS/RTIM: receive timeout.
    public static let intReceiveTimeout: UInt32 = 1 << 6
    /// Every interrupt bit of UARTIMSC/UARTRIS/UARTICR (10:0).
    public static let interruptBits: UInt32 = 0x7FF
}
