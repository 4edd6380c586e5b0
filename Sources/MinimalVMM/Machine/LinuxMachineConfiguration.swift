import DeviceTree
import GICDescription
import GICVocabulary
import VGIC

/// The shape of the machine the minimal VMM builds (MinimalVMM.docc/LinuxBoot.md): vCPUs, RAM,
/// the vgic-v3 (with or without an ITS), the PL011 and its interrupt, and the kernel command
/// line. The addresses are those of QEMU's `virt` board, which every arm64 kernel knows.
public struct LinuxMachineConfiguration: Hashable, Sendable {
    /// vCPUs; vCPU 0 boots, the others start powered off until the guest's PSCI CPU_ON.
    public var vcpuCount: Int
    /// Guest RAM.
    public var ram: AddressRange
    /// Whether the vgic has an ITS (and the guest an `msi-controller` node).
    public var its: Bool
    /// NR_IRQS: 64 INTIDs (32 SPIs) are plenty for one UART, and keep a GIC snapshot small.
    public var interruptCount: UInt32
    /// The PL011's register window (4 KiB).
    public var uartBase: UInt64
    /// The PL011's interrupt, level-high.
    public var uartSPI: SPI
    /// How the PL011's interrupt reaches the vgic: an irqfd with a resampler (the default, as
    /// production VMMs wire level lines), or `KVM_IRQ_LINE`.
    public var uartWiring: SPILevelLine.Wiring
    /// The kernel command line.
    public var bootargs: String

    public init(
        vcpuCount: Int = 4, ram: AddressRange = AddressRange(address: 0x4000_0000, size: 256 << 20), its: Bool = false,
        interruptCount: UInt32 = 64, uartBase: UInt64 = 0x0900_0000, uartSPI: SPI = Self.defaultUARTSPI,
        bootargs: String = "console=ttyAMA0 quiet", uartWiring: SPILevelLine.Wiring = .irqfd
    ) {
        self.uartWiring = uartWiring
        self.vcpuCount = vcpuCount
        self.ram = ram
        self.its = its
        self.interruptCount = interruptCount
        self.uartBase = uartBase
        self.uartSPI = uartSPI
        self.bootargs = bootargs
    }

    /// SPI 1 (INTID 33), the virt board's UART interrupt.
    public static var defaultUARTSPI: SPI { (try? SPI(intid: 33))! }
    /// The distributor, at the virt board's 0x0800_0000.
    public static let distributorBase: UInt64 = 0x0800_0000
    /// The ITS, at 0x0808_0000 (128 KiB).
    public static let itsBase: UInt64 = 0x0808_0000
    /// The legacy redistributor block from 0x080A_0000, 128 KiB per vCPU.
    public static let redistributorBase: UInt64 = 0x080A_0000
    /// The fixed clock the PL011 node names for `uartclk` and `apb_pclk` (24 MHz, as the virt
    /// board's `apb-pclk`).
    public static let uartClockHz: UInt32 = 24_000_000
    /// The clock node's phandle (the GIC has 1, the ITS 2).
    public static let clockPhandle: UInt32 = 3

    /// The vgic layout.
    public var gic: VGICConfiguration {
        VGICConfiguration.v3(
            distributor: Self.distributorBase, redistributors: .legacy(base: Self.redistributorBase),
            its: its ? Self.itsBase : nil, interruptCount: interruptCount)
    }

    /// The UART's register window.
    public var uartWindow: AddressRange { AddressRange(address: uartBase, size: PL011.windowSize) }

    /// The devicetree path of the PL011 node, `chosen/stdout-path`.
    public var uartPath: String { "/pl011@" + String(uartBase, radix: 16) }
}
