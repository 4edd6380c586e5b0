import CNullKernel

/// One measured loop: its name (the callgrind profile part), its ioctl and how many it
/// issues per loop turn.
enum BenchCase: String, CaseIterable {
    /// `VGIC.setLevel(spi, true)` then `false`: the lab's `overhead.v3.irq_line` Swift side.
    case vgicIRQLine = "swift.vgic.irq_line"
    /// `VirtualMachine.setIRQLine(word, level:)` twice: the KVM layer alone.
    case kvmIRQLine = "swift.kvm.irq_line"
    /// `ckvm_baseline_irq_line_loop`'s body on the null ioctl.
    case cIRQLine = "c.irq_line"
    /// `VGIC.distributorRegister(.gicdCTLR)`: the lab's `overhead.v3.get_device_attr` Swift side.
    case vgicGetAttr = "swift.vgic.get_device_attr"
    /// `Device.get(.distributorRegister(GICD_CTLR))`: the KVM layer alone.
    case kvmGetAttr = "swift.kvm.get_device_attr"
    /// `ckvm_baseline_get_attr_loop`'s body on the null ioctl.
    case cGetAttr = "c.get_device_attr"

    /// The ioctl the loop issues.
    var request: String {
        switch self {
        case .vgicIRQLine, .kvmIRQLine, .cIRQLine: "KVM_IRQ_LINE"
        case .vgicGetAttr, .kvmGetAttr, .cGetAttr: "KVM_GET_DEVICE_ATTR"
        }
    }

    /// ioctls per loop turn (a raise and a lower for the line).
    var callsPerTurn: Int32 {
        switch self {
        case .vgicIRQLine, .kvmIRQLine, .cIRQLine: 2
        case .vgicGetAttr, .kvmGetAttr, .cGetAttr: 1
        }
    }

    /// Runs `loop` (which makes `turns` turns) with callgrind counting only it, then prints
    /// `<case> <calls> <request>`.
    func measure<Failure: Error>(_ turns: Int32, _ loop: () throws(Failure) -> Void) throws(Failure) {
        cnull_collect_begin()
        try loop()
        rawValue.withCString { cnull_collect_end($0) }
        print("\(rawValue) \(Int(turns) * Int(callsPerTurn)) \(request)")
    }
}

/// A C loop that did not answer 0.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
