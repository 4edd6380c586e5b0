import KVM

/// The VMM's serial console: a `PL011` shared by every vCPU thread and the controller, its
/// interrupt line, and everything the guest transmitted (MinimalVMM.docc/VCPUThreads.md).
///
/// Each guest access, host send and attach runs under one lock, and ends by bringing the SPI to
/// the UART's level: one `KVM_IRQ_LINE` when the level changed, none otherwise. While the
/// machine migrates the line is detached: bytes sent then wait in the UART, and the line is
/// brought to the UART's level when the target VM's line is attached.
public final class SerialConsole: @unchecked Sendable {
    private let lock = VMMLock()
    private var uart: PL011
    private var line: SPILevelLine?
    private var drivenLevel = false
    private var output: [UInt8] = []
    private var lineFailure: KVMError?
    private var lineChanges = 0
    private var pauseOnReceiveRead = false
    private var receiveReadTriggered = false

    init(uart: PL011 = PL011()) {
        self.uart = uart
    }

    /// A guest access to the UART's window: the value of a read (0 for a write), and whether
    /// this was the receive read the controller asked to pause at.
    func guestAccess(offset: UInt64, size: Int, isWrite: Bool, data: UInt64) -> (value: UInt64, pause: Bool) {
        lock.withLock {
            var value: UInt64 = 0
            var pause = false
            if isWrite {
                uart.write(offset: offset, size: size, value: data)
                output.append(contentsOf: uart.takeTransmitted())
            } else {
                let receiving = offset & ~3 == PL011Register.data && !uart.receiveFIFO.isEmpty
                value = uart.read(offset: offset, size: size)
                if receiving && pauseOnReceiveRead {
                    pauseOnReceiveRead = false
                    receiveReadTriggered = true
                    pause = true
                }
            }
            syncLine()
            return (value, pause)
        }
    }

    /// The host sends `bytes` down the serial line.
    public func send(_ bytes: [UInt8]) {
        lock.withLock {
            uart.receive(bytes)
            syncLine()
        }
    }

    /// How many bytes the guest has transmitted so far.
    public var transmittedCount: Int { lock.withLock { output.count } }

    /// The bytes the guest transmitted from position `start` on.
    public func transmitted(from start: Int = 0) -> [UInt8] {
        lock.withLock { start < output.count ? Array(output[max(0, start)...]) : [] }
    }

    /// The first `KVM_IRQ_LINE` refusal, if any (the line then stays where it was).
    public var lineError: KVMError? { lock.withLock { lineFailure } }

    /// How many `KVM_IRQ_LINE` calls the console has made.
    public var lineCalls: Int { lock.withLock { lineChanges } }

    /// The level the SPI was last driven to.
    public var lineLevel: Bool { lock.withLock { drivenLevel } }

    /// A copy of the UART.
    public var state: PL011 { lock.withLock { uart } }

    /// Asks the console to report the guest's next read of received data (a vCPU inside the
    /// UART's interrupt handler), so the controller pauses with that interrupt active.
    func armPauseOnReceiveRead() { lock.withLock { pauseOnReceiveRead = true; receiveReadTriggered = false } }

    /// Whether the armed receive read has happened.
    var receiveReadHappened: Bool { lock.withLock { receiveReadTriggered } }

    /// Detaches the interrupt line (the VM it drives is going away); returns the level it was
    /// driven to.
    func detach() -> Bool {
        lock.withLock {
            line = nil
            return drivenLevel
        }
    }

    /// Attaches `newLine`, whose SPI is at `level` already (restored with the GIC), and brings it
    /// to the UART's level.
    func attach(_ newLine: consuming SPILevelLine, level: Bool) {
        lock.acquire()
        line = consume newLine
        drivenLevel = level
        syncLine()
        lock.release()
    }

    /// Drives the line to the UART's level if it differs (under the lock).
    private func syncLine() {
        let level = uart.interruptLevel
        guard level != drivenLevel, lineFailure == nil else { return }
        do throws(KVMError) {
            guard try drive(level) else { return }
            drivenLevel = level
            lineChanges += 1
        } catch {
            lineFailure = error
        }
    }

    /// Drives the attached line; false when none is attached.
    private func drive(_ level: Bool) throws(KVMError) -> Bool {
        switch line {
        case .some(let attached):
            try attached.drive(level)
            return true
        case .none:
            return false
        }
    }
}
