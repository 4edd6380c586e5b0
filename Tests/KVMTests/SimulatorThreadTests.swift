import Dispatch
import GICVocabulary
import Testing

@testable import KVM

@Suite("SyscallSimulator from several threads")
struct SimulatorThreadTests {
    @Test("every thread's ioctls are recorded and answered, none lost or mixed up")
    func concurrentIoctls() throws {
        let sim = SyscallSimulator()
        let vm = try KVM.open(interface: .simulated(sim)).createVM()
        let threads = 4
        let callsPerThread = 20_000
        let words = try (0..<threads).map { try IRQLineWord.spi(SPI(intid: 40 + UInt32($0))).rawValue }
        sim.clearCalls()
        let failures = Failures()
        withUnsafePointer(to: vm) { pointer in
            // `setIRQLine` is documented as safe from any thread; the VM owner itself is not
            // Sendable, so the threads share it the way a VMM's device threads would.
            nonisolated(unsafe) let shared = pointer
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for call in 0..<callsPerThread {
                    do throws(KVMError) {
                        try shared.pointee.setIRQLine(IRQLineWord(rawValue: words[thread]), level: call % 2 == 0)
                    } catch {
                        failures.add()
                    }
                }
            }
        }
        #expect(failures.count == 0)
        let lines = sim.calls(.irqLine)
        #expect(lines.count == threads * callsPerThread)
        for word in words {
            #expect(lines.filter { $0.attempt.argument == UInt64(word) }.count == callsPerThread)
        }
    }
}

/// A counter the threads may share.
private final class Failures: @unchecked Sendable {
    private let lock = DispatchQueue(label: "failures")
    private var value = 0
    func add() { lock.sync { value += 1 } }
    var count: Int { lock.sync { value } }
}
