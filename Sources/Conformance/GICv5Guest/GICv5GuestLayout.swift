import GuestHarness

/// Where QEMU 11's `virt` board with `gic-version=x-5` puts what a GICv5 guest case touches, as
/// its devicetree says (`qemu-system-aarch64 -M virt,gic-version=x-5,dumpdtb=…`): the IRS's
/// non-secure configuration frame, the PL011 the runtime reports through (SPI 1), and the guest
/// RAM the IST lives in (`GuestLayout`'s free upper mebibyte).
enum GICv5GuestLayout {
    /// `irs@8010000`, `reg-names = "ns-config"`: 64 KiB.
    static let irsConfigFrame: UInt64 = 0x0801_0000
    static let irsConfigFrameBytes: UInt64 = 0x1_0000
    /// `pl011@9000000`, interrupts `<3 1 4>`: SPI 1, level-high.
    static let uart: UInt64 = 0x0900_0000
    static let uartSPI: UInt32 = 1
    /// The linear IST, or a two-level IST's L1 table.
    static var istBase: UInt64 { GuestLayout.ramBase + UInt64(GuestLayout.tablesOffset) }
    /// A two-level IST's first L2 table (64 KiB above the L1 table).
    static var level2Base: UInt64 { istBase + 0x1_0000 }
    /// The RAM the guest may write for its tables.
    static var tables: Range<UInt64> { istBase..<(istBase + UInt64(GuestLayout.tablesBytes)) }

    /// The address of IRS register `offset`, as a `.absolute` MMIO step's offset.
    static func irs(_ offset: UInt32) -> UInt32 { UInt32(irsConfigFrame) + offset }
}
