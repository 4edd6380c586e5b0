/// How the runtime reports to the host: its log drains, the end of the main program and faults.
///
/// Under KVM every report is an MMIO exit the host decodes by address (`GuestLayout`'s windows),
/// and host calls are exits too. On QEMU's TCG GICv5 machine (`-M virt,gic-version=x-5`, EL1
/// only) there is no KVM and so no exit to catch: the runtime runs bare-metal and writes its
/// reports as text lines to the board's PL011 UART, which QEMU copies to its serial output, and
/// ends the run with PSCI SYSTEM_OFF (by HVC: QEMU's own PSCI with no EL2 or EL3 present). A UART
/// rather than semihosting because the UART needs nothing but a store per byte, the same on every
/// QEMU, while semihosting needs `-semihosting` and a `HLT #0xF000` calling convention whose
/// exceptions (and the runtime's vector table) would sit between the guest and its reports.
/// There is no host to call, so a `host` / `hostRead` step is a bad step (a fault report).
public enum GuestTransport: Hashable, Sendable {
    /// KVM: MMIO exits in `GuestLayout`'s windows, decoded by `GuestExitDecoder`.
    case mmioExits
    /// Bare metal: lines on a PL011 UART at `base`, decoded by `GuestUARTDecoder`; vCPU 0 only.
    case uart(base: UInt64)

    /// The PL011 of QEMU's `virt` board (its devicetree's `pl011@9000000`).
    public static let virtUART = GuestTransport.uart(base: 0x0900_0000)
}
