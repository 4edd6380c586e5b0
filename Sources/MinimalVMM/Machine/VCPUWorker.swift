import CKVM
import DeviceTree
import KVM

/// One vCPU thread: it runs its vCPU until the gate asks it to park, answers the exits the
/// kernel hands to userspace, and parks with every pending exit completed
/// (MinimalVMM.docc/VCPUThreads.md).
///
/// Ownership of the vCPU moves with the gate: while the thread is parked (or not started) the
/// controller owns `vcpu` and may read or replace it; once released, the thread takes it and
/// gives it back before it parks again. The counters are the thread's, read by the controller
/// only while the thread is parked or gone.
final class VCPUWorker: @unchecked Sendable {
    let index: Int
    let gate: UnsafeMutablePointer<ckvm_gate>
    let console: SerialConsole
    let uartWindow: AddressRange

    /// The vCPU, while the controller holds it.
    var vcpu: VCPU?
    /// `kvm_run.immediate_exit` of the vCPU handed to this thread (the controller sets it to
    /// stop the thread and clears it before releasing the gate).
    var immediateExit: UnsafeMutablePointer<UInt8>?
    /// The pthread, once started.
    var handle: UInt64 = 0

    /// `KVM_RUN` calls, exits by kind.
    var runs = 0
    var mmioExits = 0
    var uartAccesses = 0
    var interruptedRuns = 0
    /// MMIO outside every device: reads answer 0, writes are dropped. The first address is kept.
    var unclaimedAccesses = 0
    var firstUnclaimedAddress: UInt64?
    /// A PSCI system event (SYSTEM_OFF 1, SYSTEM_RESET 2, …) ended the thread.
    var systemEvent: UInt32?
    /// Why the thread ended otherwise (an exit it cannot handle, a failed `KVM_RUN`).
    var failure: String?

    init(index: Int, gate: UnsafeMutablePointer<ckvm_gate>, console: SerialConsole, uartWindow: AddressRange) {
        self.index = index
        self.gate = gate
        self.console = console
        self.uartWindow = uartWindow
    }

    /// How a stretch of running ended.
    enum Stretch {
        /// The gate asked the thread to park; the vCPU's pending exit is completed.
        case parked
        /// The guest or the kernel ended the vCPU.
        case finished
    }

    /// The thread's body: park, take the vCPU, run it, give it back, until the gate stops it.
    func run() {
        while true {
            if ckvm_gate_park(gate) != 0 { break }
            guard let vcpu = vcpu.take() else { break }
            let stretch = drive(vcpu)
            self.vcpu = consume vcpu
            if case .finished = stretch { break }
        }
        ckvm_gate_exit(gate)
    }

    /// Runs `vcpu` until the gate asks the thread to park or the vCPU ends.
    func drive(_ vcpu: borrowing VCPU) -> Stretch {
        while true {
            if ckvm_gate_should_park(gate) != 0 {
                // Complete what the last exit left pending (an MMIO read's register, the PC step)
                // without entering the guest, so the state the controller reads is the one the
                // guest continues from.
                vcpu.immediateExit = true
                _ = try? vcpu.run()
                return .parked
            }
            let exit: VCPUExit
            do throws(KVMError) {
                runs += 1
                exit = try vcpu.run()
            } catch {
                failure = "KVM_RUN of vCPU \(index): \(error)"
                return .finished
            }
            switch exit {
            case .mmio(let access):
                mmioExits += 1
                handle(access, vcpu)
            case .interrupted:
                interruptedRuns += 1
            case .systemEvent(let type):
                systemEvent = type
                return .finished
            default:
                failure = "vCPU \(index): unexpected exit \(exit)"
                return .finished
            }
        }
    }

    /// Answers one MMIO exit.
    func handle(_ access: VCPUExit.MMIOAccess, _ vcpu: borrowing VCPU) {
        let address = access.address
        if address >= uartWindow.address && address - uartWindow.address < uartWindow.size {
            uartAccesses += 1
            let (value, pause) = console.guestAccess(
                offset: address - uartWindow.address, size: Int(access.length), isWrite: access.isWrite, data: access.data)
            if !access.isWrite { vcpu.completeMMIORead(value) }
            if pause { ckvm_gate_request(gate) }
            return
        }
        unclaimedAccesses += 1
        if firstUnclaimedAddress == nil { firstUnclaimedAddress = address }
        if !access.isWrite { vcpu.completeMMIORead(0) }
    }
}
