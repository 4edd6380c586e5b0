import CKVM
import GICVocabulary
import KVM
import VGIC

/// The machines the `irqfd.*`, `msi.*` and `its.*` families run on: the lab's vgic-v3 layout,
/// with an ITS when asked (Conformance.docc/DeviceInterrupts.md).
enum DeviceInterruptLab {
    /// The ITS frame: 32 MiB, clear of the distributor (8 MiB), the redistributors (16 MiB) and
    /// the guest RAM (1 GiB).
    static let itsBase: UInt64 = 0x0200_0000

    /// A machine with `vcpuCount` vCPUs and an initialised vgic-v3 (with an ITS when `its`), the
    /// vgic lent mutably (wiring changes its routing table). A host without an ITS skips.
    static func withVGIC(
        _ context: ScenarioContext, vcpus vcpuCount: UInt32 = 2, its: Bool = false, interruptCount: UInt32? = 128,
        mpidr: ((UInt32) -> UInt64)? = nil,
        _ body: (borrowing LabMachine, inout VGIC, [VCPUIdentity]) throws(VGICError) -> Outcome
    ) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            if its, try !machine.vm.canCreateITS() { return .skip("host offers no ITS") }
            var identities: [VCPUIdentity] = []
            for id in 0..<vcpuCount {
                let vcpu = try machine.runnableVCPU(id: id)
                if let mpidr {
                    do throws(KVMError) { try vcpu.set(.mpidr, to: mpidr(id)) } catch { throw .kernel(error) }
                }
                identities.append(try VCPUIdentity(reading: vcpu))
            }
            var layout = LabLayout.v3(vcpuCount: Int(vcpuCount), interruptCount: interruptCount)
            if its { layout.itsBase = itsBase }
            var vgic = try VGIC.create(on: machine.vm, configuration: layout, vcpus: identities)
            return try body(machine, &vgic, identities)
        }
    }

    /// GSI `number`, which the scenarios choose below `GSI.limit`.
    static func gsi(_ number: UInt32) -> GSI {
        (try? GSI(number))!
    }

    /// SPI `intid`, which the scenarios choose in 32...1019.
    static func spi(_ intid: UInt32) -> SPI {
        (try? SPI(intid: intid))!
    }

    /// Waits `milliseconds` (for what the kernel does from a workqueue). On a simulated kernel,
    /// which does everything before the call returns, it does not wait.
    static func pause(_ context: ScenarioContext, milliseconds: Int64) {
        if case .live = context.kernel { _ = ckvm_sleep_ms(milliseconds) }
    }

    /// `body`'s KVM-layer result, as the checks' typed error.
    static func kvm<Value: ~Copyable>(_ body: () throws(KVMError) -> Value) throws(VGICError) -> Value {
        do throws(KVMError) {
            return try body()
        } catch {
            throw .kernel(error)
        }
    }
}

extension VGICInitChecks {
    /// `body` must fail in the kernel with `errno`.
    mutating func kernelRefuses(_ label: String, _ errno: Errno, _ body: () throws(KVMError) -> Void) {
        refused(label, { $0.errno == errno }) { () throws(VGICError) in try DeviceInterruptLab.kvm(body) }
    }

    /// `body` must be accepted by the kernel.
    mutating func kernelAccepts(_ label: String, _ body: () throws(KVMError) -> Void) {
        succeeds(label) { () throws(VGICError) in try DeviceInterruptLab.kvm(body) }
    }

    /// `body`'s value, or nil after recording its refusal as a failure.
    mutating func value<Value>(_ label: String, _ body: () throws(VGICError) -> Value) -> Value? {
        do throws(VGICError) {
            return try body()
        } catch {
            check("\(label): \(error)", false)
            return nil
        }
    }
}
