import CKVM
import DeviceTree
import KVM

/// The vCPU threads of a machine and the gate that stops them all outside `KVM_RUN`
/// (MinimalVMM.docc/VCPUThreads.md).
///
/// The threads start parked. The controller hands each a vCPU (`hand`) and releases the gate
/// (`resume`); `pause` asks every thread to park, sets each vCPU's `immediate_exit`, kicks each
/// thread with SIGUSR1 and waits until all are parked: then no vCPU is inside `KVM_RUN` and
/// each one's last exit is completed, and the controller owns every vCPU again.
final class VCPUThreads: @unchecked Sendable {
    let gate: UnsafeMutablePointer<ckvm_gate>
    let workers: [VCPUWorker]
    private var started = false
    private var stopped = false

    init(count: Int, console: SerialConsole, uartWindow: AddressRange) {
        gate = UnsafeMutablePointer<ckvm_gate>.allocate(capacity: 1)
        ckvm_gate_init(gate)
        ckvm_gate_request(gate)  // the threads start parked
        var workers: [VCPUWorker] = []
        for index in 0..<count {
            workers.append(VCPUWorker(index: index, gate: gate, console: console, uartWindow: uartWindow))
        }
        self.workers = workers
    }

    deinit {
        stop()
        ckvm_gate_destroy(gate)
        gate.deallocate()
    }

    /// Starts the threads (parked). Throws the errno of the first thread that could not start.
    func start() throws(KVMError) {
        guard !started else { return }
        let installed = ckvm_kick_install()
        if installed != 0 { throw .kernel(Errno(rawValue: -installed), Attempt(.run)) }
        for worker in workers {
            var handle: UInt64 = 0
            let result = ckvm_thread_start(
                { context, _ in
                    guard let context else { return }
                    Unmanaged<VCPUWorker>.fromOpaque(context).takeUnretainedValue().run()
                }, Unmanaged.passUnretained(worker).toOpaque(), Int32(worker.index), &handle)
            if result != 0 {
                stop()
                throw .kernel(Errno(rawValue: -result), Attempt(.run, vcpu: UInt32(worker.index)))
            }
            worker.handle = handle
            started = true
        }
    }

    /// Gives thread `index` its vCPU (the thread must be parked).
    func hand(_ vcpu: consuming VCPU, to index: Int) {
        workers[index].immediateExit = vcpu.immediateExitFlag
        workers[index].vcpu = consume vcpu
    }

    /// Takes thread `index`'s vCPU back (the thread must be parked).
    func takeVCPU(_ index: Int) -> VCPU? {
        workers[index].immediateExit = nil
        return workers[index].vcpu.take()
    }

    /// Lets the parked threads run their vCPUs.
    func resume() {
        for worker in workers { worker.immediateExit?.pointee = 0 }
        ckvm_gate_release(gate)
    }

    /// Stops every thread outside `KVM_RUN`; true when all parked (or ended) within
    /// `timeoutMilliseconds`.
    func pause(timeoutMilliseconds: Int64) -> Bool {
        ckvm_gate_request(gate)
        for worker in workers { worker.immediateExit?.pointee = 1 }
        kickAll()
        return ckvm_gate_wait_parked(gate, Int32(workers.count), timeoutMilliseconds) >= 0
    }

    /// Whether a thread asked for a pause itself (the armed receive read).
    var pauseRequested: Bool { ckvm_gate_should_park(gate) != 0 }

    /// Threads that have ended (their guest powered off, or they failed).
    var endedCount: Int { Int(ckvm_gate_exited(gate)) }

    /// Ends every thread and waits for them.
    func stop() {
        guard started, !stopped else { return }
        stopped = true
        ckvm_gate_stop(gate)
        for worker in workers { worker.immediateExit?.pointee = 1 }
        kickAll()
        for worker in workers where worker.handle != 0 { _ = ckvm_thread_join(worker.handle) }
    }

    /// SIGUSR1 to every started thread (a thread that has ended but is not joined answers ESRCH).
    private func kickAll() {
        for worker in workers where worker.handle != 0 { _ = ckvm_thread_kick(worker.handle) }
    }
}
