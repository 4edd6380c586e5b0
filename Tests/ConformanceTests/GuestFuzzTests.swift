@testable import Conformance
import GICModel
import GuestHarness
import Testing

/// The guest-side fuzzer's programs on the model alone: well-formed, deterministic, printable as
/// Swift, and sensitive to every deliberately wrong model.
@Suite("Guest fuzz programs")
struct GuestFuzzTests {
    static func predict(_ scenario: GuestScenario, _ kernel: KernelBehaviour, _ mutations: DeliveryMutation = []) throws -> GuestOutcome {
        var machine = try GuestModelMachine(scenario, kernel: kernel, mutations: mutations)
        return machine.run()
    }

    @Test("the lab's 100 programs run to completion on the model, the same way twice", arguments: KernelBehaviour.allCases)
    func wellFormed(kernel: KernelBehaviour) throws {
        for index in 0..<GuestFuzzLab.programCount {
            let program = GuestFuzzProgram.random(seed: GuestFuzzLab.baseSeed + UInt64(index))
            #expect((2...4).contains(program.vcpuCount))
            let scenario = try program.scenario()
            let first = try Self.predict(scenario, kernel)
            #expect(first.end == .completed, "program \(index): \(first.end)\n\(program)")
            #expect(try Self.predict(scenario, kernel) == first)
        }
    }

    @Test("a program prints as the Swift that builds it")
    func printable() throws {
        let program = GuestFuzzProgram(
            vcpuCount: 2, eoiModes: [false, true],
            interrupts: [.init(intid: 5, priority: 0x10, edge: true, vcpu: 0), .init(intid: 40, priority: 0x80, edge: false, vcpu: 1)],
            phases: [
                [[.raise(40, vcpu: 1), .window], [.sgi(5, targets: 0x2, broadcast: false)]],
                [[.poll(attempts: 2), .observe(.iccRPR)], [.pendFromHost(5, vcpu: 1), .window]],
            ])
        #expect(program.description == """
            GuestFuzzProgram(
                vcpuCount: 2, eoiModes: [false, true],
                interrupts: [.init(intid: 5, priority: 0x10, edge: true, vcpu: 0), .init(intid: 40, priority: 0x80, edge: false, vcpu: 1)],
                phases: [
                    [[.raise(40, vcpu: 1), .window], [.sgi(5, targets: 0x2, broadcast: false)]],
                    [[.poll(attempts: 2), .observe(.iccRPR)], [.pendFromHost(5, vcpu: 1), .window]],
                ])
            """)
        // The pasted program runs: vCPU 1 takes SPI 40 by polling, then SGI 5 sent by vCPU 0.
        let outcome = try Self.predict(try program.scenario(), .linux7)
        #expect(outcome.end == .completed)
        #expect(outcome.trace.acknowledged(by: 1) == [40, 5])
    }

    @Test("shrinking removes one block at a time, latest first")
    func positions() {
        let program = GuestFuzzProgram.random(seed: GuestFuzzLab.baseSeed)
        let first = program.positions[0]
        let shorter = program.removing(vcpu: first.vcpu, phase: first.phase, block: first.block)
        #expect(shorter.blockCount == program.blockCount - 1)
        #expect(first.vcpu == program.vcpuCount - 1)
    }

    @Test("every wrong model mispredicts a guest case or one of the mutation check's programs", arguments: DeliveryMutation.named.map { $0.0 })
    func mutantsAreVisible(name: String) throws {
        let mutation = try #require(DeliveryMutation.named.first { $0.0 == name }?.1)
        var scenarios = try GuestCatalog.all.filter { $0.name != "guest.harness.watchdog" }.map { try $0.build() }
        for index in 0..<GuestFuzzLab.mutantProgramCount {
            scenarios.append(try GuestFuzzProgram.random(seed: GuestFuzzLab.baseSeed + UInt64(index)).scenario())
        }
        for kernel in KernelBehaviour.allCases {
            let visible = try scenarios.contains { scenario in
                try Self.predict(scenario, kernel, mutation).differences(from: try Self.predict(scenario, kernel)).isEmpty == false
            }
            #expect(visible, "\(name) changes no prediction on \(kernel)")
        }
    }
}
