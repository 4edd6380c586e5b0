import CNullKernel
import Glibc
import GICVocabulary
import KVM
import VGIC

// kvm-gic-bench [iterations]: the Swift-vs-C instruction-count benchmark.
//
// Runs `iterations` loop turns of each measured case against a null kernel (NullKernel) and,
// under `valgrind --tool=callgrind --collect-atstart=no`, counts each loop alone as a profile
// part named after the case; Scripts/bench-instructions.sh runs it twice (N and 2N turns) and
// divides the difference by the calls, so setup and the collection switch cancel out.
// Figures, not assertions: this program checks only that every call succeeded.

let iterations = CommandLine.arguments.count > 1 ? Int32(CommandLine.arguments[1]) ?? -1 : 1000
guard iterations > 0 else {
    printError("usage: kvm-gic-bench [iterations > 0]")
    exit(64)
}

do {
    let kernel = NullKernel()
    let kvm = try KVM.open(interface: .simulated(kernel))
    let vm = try kvm.createVM()
    let vcpu = try vm.createVCPU(id: 0)
    let identity = try VCPUIdentity(reading: vcpu)
    let vgic = try VGIC.create(
        on: vm, configuration: .v3(distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000)),
        vcpus: [identity])
    let device = try vm.createDevice(.vgicV3)

    let spi = try SPI(intid: 40)
    let word = IRQLineWord.spi(spi)
    let ctlr = DeviceAttribute<UInt32>.distributorRegister(RegisterAttr(affinity: Affinity(aff0: 0), register: .gicdCTLR))
    let group = AttributeGroup.distributorRegisters.rawValue

    try BenchCase.vgicIRQLine.measure(iterations) { () throws(VGICError) in
        for _ in 0..<iterations {
            try vgic.setLevel(spi, true)
            try vgic.setLevel(spi, false)
        }
    }
    try BenchCase.kvmIRQLine.measure(iterations) { () throws(KVMError) in
        for _ in 0..<iterations {
            try vm.setIRQLine(word, level: true)
            try vm.setIRQLine(word, level: false)
        }
    }
    try BenchCase.cIRQLine.measure(iterations) { () throws(BenchFailure) in
        let result = vm.withRawDescriptor { fd in cnull_irq_line_loop(fd, word.rawValue, iterations) }
        if result != 0 { throw BenchFailure("C loop answered \(result)") }
    }
    try BenchCase.vgicGetAttr.measure(iterations) { () throws(VGICError) in
        for _ in 0..<iterations { _ = try vgic.distributorRegister(.gicdCTLR) }
    }
    try BenchCase.kvmGetAttr.measure(iterations) { () throws(KVMError) in
        for _ in 0..<iterations { _ = try device.get(ctlr) }
    }
    try BenchCase.cGetAttr.measure(iterations) { () throws(BenchFailure) in
        let result = device.withRawDescriptor { fd in cnull_get_attr_loop(fd, group, 0, iterations) }
        if result != 0 { throw BenchFailure("C loop answered \(result)") }
    }
} catch {
    printError("kvm-gic-bench: \(error)")
    exit(1)
}

/// Writes `line` and a newline to stderr.
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
