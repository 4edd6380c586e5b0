import KVM

/// The VMM's serial console: a `PL011` shared by every vCPU thread and the controller, its
/// interrupt line, and everything the guest transmitted (MinimalVMM.docc/VCPUThreads.md).
///
/// Each guest access, host send, acknowledgement and attach runs under one lock, and ends by
/// bringing the SPI to the UART's level (`SPILevelLine`): on `KVM_IRQ_LINE`, one call when the
/// level changed and none otherwise; on an irqfd, one signal when the level rises while the line
/// is not asserted (the kernel lowers it at the guest's acknowledgement, which the resample
/// watcher hands to `serviceAcknowledgements`). While the machine migrates the line is
/// detached: bytes sent then wait in the UART, and the line is brought to the UART's level when
/// the target VM's line is attached.
public final class SerialConsole: @unchecked Sendable {
    private let lock = HostMutex()
    private var uart: PL011
    private var line: SPILevelLine?
    /// The line of the VM being migrated from, kept until the target's is attached (or the
    /// migration rolls back to it).
    private var detachedLine: SPILevelLine?
    /// The level the line is at as far as the console drove it: for an irqfd, asserted and not
    /// yet acknowledged by the guest.
    private var drivenLevel = false
    private var output: [UInt8] = []
    private var lineFailure: KVMError?
    private var lineChanges = 0
    private var acknowledgements = 0
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

    /// The first refusal of the line (`KVM_IRQ_LINE`, an eventfd write or read), if any (the
    /// line then stays where it was).
    public var lineError: KVMError? { lock.withLock { lineFailure } }

    /// How many syscalls driving the line the console has made (`KVM_IRQ_LINE` calls, or
    /// trigger eventfd writes).
    public var lineCalls: Int { lock.withLock { lineChanges } }

    /// How many times the kernel reported the guest's acknowledgement on an irqfd line's
    /// resample eventfd (reads that found a count).
    public var acknowledgementsTaken: Int { lock.withLock { acknowledgements } }

    /// How the attached line is wired, nil while detached.
    public var wiring: SPILevelLine.Wiring? {
        lock.withLock {
            switch line {
            case .some(let attached): attached.wiring
            case .none: nil
            }
        }
    }

    /// Takes the kernel's acknowledgements of the line and raises it again if the UART still
    /// asks for it (the resample watcher calls this when the resample eventfd is readable).
    public func serviceAcknowledgements() {
        lock.withLock { syncLine() }
    }

    /// The attached line's resample eventfd, for the watcher to wait on.
    var resampleDescriptor: Int32? {
        lock.withLock {
            switch line {
            case .some(let attached): attached.resampleDescriptor
            case .none: nil
            }
        }
    }

    /// The level the SPI was last driven to.
    public var lineLevel: Bool { lock.withLock { drivenLevel } }

    /// A copy of the UART.
    public var state: PL011 { lock.withLock { uart } }

    /// Asks the console to report the guest's next read of received data (a vCPU inside the
    /// UART's interrupt handler), so the controller pauses with that interrupt active.
    func armPauseOnReceiveRead() { lock.withLock { pauseOnReceiveRead = true; receiveReadTriggered = false } }

    /// Whether the armed receive read has happened.
    var receiveReadHappened: Bool { lock.withLock { receiveReadTriggered } }

    /// Detaches the interrupt line (all vCPUs are stopped; the VM it drives is about to be
    /// captured): acknowledgements that arrived are taken first, so the level returned is the
    /// one the kernel holds. The line is kept, not closed: closing an irqfd's last resampler
    /// lowers the line, which must not happen before the GIC is captured.
    func detach() -> Bool {
        lock.withLock {
            syncLine()
            detachedLine = line.take()
            return drivenLevel
        }
    }

    /// Attaches `newLine`, whose SPI is at `level` already (restored with the GIC), brings it
    /// to the UART's level, and closes the detached line.
    func attach(_ newLine: consuming SPILevelLine, level: Bool) {
        lock.acquire()
        line = consume newLine
        detachedLine = nil
        drivenLevel = level
        syncLine()
        lock.release()
    }

    /// Attaches the detached line again (a migration that rolled back), at `level`.
    func reattach(level: Bool) {
        lock.withLock {
            let attached: Bool
            switch line {
            case .none: attached = false
            case .some: attached = true
            }
            if !attached { line = detachedLine.take() }
            drivenLevel = level
            syncLine()
        }
    }

    /// Takes the line's acknowledgements and drives it to the UART's level if it differs (under
    /// the lock). An irqfd line is never driven low: the kernel lowered it at the acknowledgement.
    private func syncLine() {
        guard lineFailure == nil else { return }
        do throws(KVMError) {
            switch line {
            case .some(let attached):
                if try attached.takeAcknowledgements() > 0 {
                    acknowledgements += 1
                    drivenLevel = false
                }
                let level = uart.interruptLevel
                guard level != drivenLevel else { return }
                if try attached.drive(level) { lineChanges += 1 }
                if attached.wiring == .irqLine || level { drivenLevel = level }
            case .none:
                return
            }
        } catch {
            lineFailure = error
        }
    }
}
