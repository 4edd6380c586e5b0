import CKVM
import GICSnapshot
import GICVocabulary
import KVM
import VGIC

/// How `LinuxMachine.migrate` runs.
public struct MigrationOptions: Hashable, Sendable {
    /// Read the target back before it runs and record the differences (time not counted as downtime).
    public var verify: Bool
    /// How long the vCPU threads may take to stop.
    public var pauseTimeoutMilliseconds: Int64

    public init(verify: Bool = true, pauseTimeoutMilliseconds: Int64 = 5000) {
        self.verify = verify
        self.pauseTimeoutMilliseconds = pauseTimeoutMilliseconds
    }
}

extension LinuxMachine {
    /// Moves the running guest into a fresh VM on `kvm` (MinimalVMM.docc/Migration.md): stops
    /// every vCPU, saves GIC, vCPUs, RAM and UART, builds the target, restores it, hands the
    /// target's vCPUs to the same threads and resumes; the source VM is closed after the resume.
    ///
    /// - Parameters:
    ///   - beforeCapture: runs with every vCPU stopped and the UART's line still on the source
    ///     VM (bytes sent here raise the source's SPI, and the GIC snapshot carries the level).
    ///   - duringPause: runs between capture and restore, the line detached (bytes sent here wait
    ///     in the UART and raise the target's SPI when its line is attached).
    /// - Throws: when the source cannot be stopped or saved, or the target not built; the source
    ///   then resumes as it was.
    public mutating func migrate(
        on kvm: borrowing KVM, options: MigrationOptions = MigrationOptions(),
        beforeCapture: (SerialConsole) -> Void = { _ in }, duringPause: (SerialConsole) -> Void = { _ in }
    ) throws(MachineError) -> MigrationReport {
        var report = MigrationReport()
        let begin = ckvm_monotonic_ns()
        guard threads.pause(timeoutMilliseconds: options.pauseTimeoutMilliseconds) else {
            throw .pauseTimedOut(milliseconds: options.pauseTimeoutMilliseconds)
        }
        report.pause = .init(nanoseconds: ckvm_monotonic_ns() - begin, ioctls: 0)
        var source = VCPUSet()
        for index in 0..<threads.workers.count {
            guard let vcpu = threads.takeVCPU(index) else { continue }
            do throws(VCPUSetError) { try source.insert(vcpu) } catch { throw .vcpuSet(error) }
        }
        beforeCapture(console)
        let level = console.detach()
        let uart = console.state

        var target = try capturingAndRestoring(
            &source, kvm: kvm, uart: uart, level: level, options: options, duringPause: duringPause, report: &report)

        // The target's line is at the level the GIC snapshot restored; attaching brings it to
        // the UART's, which bytes sent during the pause may have raised.
        let line: SPILevelLine
        do throws(MachineError) {
            line = try Self.uartLine(configuration, vm: target.vm, gic: &target.gic)
        } catch {
            rollBack(&source, level: level)
            throw error
        }
        console.attach(line, level: report.uartLevelAtCapture)
        for index in 0..<threads.workers.count {
            guard let vcpu = target.vcpus.remove(id: UInt32(index)) else { continue }
            threads.hand(vcpu, to: index)
        }
        swap(&vm, &target.vm)
        swap(&memory, &target.memory)
        swap(&gic, &target.gic)
        threads.resume()
        report.downtimeNanoseconds = ckvm_monotonic_ns() - begin - report.verification.nanoseconds
        migrations += 1

        let teardown = ckvm_monotonic_ns()
        _ = consume source
        _ = consume target
        report.teardownNanoseconds = ckvm_monotonic_ns() - teardown
        return report
    }

    /// Capture, restore and verification; on failure the source resumes as it was.
    private func capturingAndRestoring(
        _ source: inout VCPUSet, kvm: borrowing KVM, uart: PL011, level: Bool, options: MigrationOptions,
        duringPause: (SerialConsole) -> Void, report: inout MigrationReport
    ) throws(MachineError) -> MigrationTarget {
        do throws(MachineError) {
            let snapshot = try Migration.capture(
                vcpus: &source, gic: gic, memory: memory, uart: uart, uartLineLevel: level, report: &report)
            let spi = configuration.uartSPI.intid
            report.uartLevelAtCapture = snapshot.lineLevel(spi) ?? false
            report.uartActiveAtCapture = snapshot.isActive(spi) ?? false
            report.uartPendingAtCapture = snapshot.isPending(spi) ?? false
            report.vcpusInHandlersAtCapture = snapshot.vcpusInHandlers
            report.lineLevelAgrees = report.uartLevelAtCapture == level
            report.uartFIFOBytesAtCapture = uart.receiveFIFO.count
            report.uartLineBytesAtCapture = uart.line.count
            report.capturedRegisters = snapshot.vcpus
            duringPause(console)
            var target = try Migration.restore(snapshot, configuration: configuration, on: kvm, report: &report)
            if options.verify { try Migration.verify(&target, against: snapshot, report: &report) }
            return target
        } catch {
            rollBack(&source, level: level)
            throw error
        }
    }

    /// Gives the source's vCPUs back to their threads, re-attaches the source's line (never
    /// closed) and resumes.
    private func rollBack(_ source: inout VCPUSet, level: Bool) {
        for index in 0..<threads.workers.count {
            guard let vcpu = source.remove(id: UInt32(index)) else { continue }
            threads.hand(vcpu, to: index)
        }
        console.reattach(level: level)
        threads.resume()
    }
}
