@testable import Conformance
import GuestHarness
import Testing

@Suite("Guest catalog")
struct GuestCatalogTests {
    @Test("every guest case is named guest.<family>.<case>, once")
    func names() {
        let names = GuestCatalog.all.map(\.name)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(name.hasPrefix("guest."), "\(name)")
            #expect(name.split(separator: ".").count >= 3, "\(name)")
        }
    }

    @Test("every guest case builds: programs check, one program set per vCPU, host calls exist")
    func builds() throws {
        for guestCase in GuestCatalog.all {
            let scenario = try guestCase.build()
            #expect(scenario.programs.count == scenario.vcpuCount, "\(guestCase.name)")
            #expect((1...GuestLayout.maximumVCPUs).contains(scenario.vcpuCount), "\(guestCase.name)")
            #expect(scenario.firstVCPU < scenario.vcpuCount, "\(guestCase.name)")
            for programs in scenario.programs {
                for program in [programs.main, programs.irq, programs.fiq] {
                    for op in program.ops {
                        if case .host(let call, _) = op {
                            #expect(Int(call) < scenario.calls.count, "\(guestCase.name): call \(call)")
                        }
                        if case .hostRead = op { Issue.record("\(guestCase.name): no scenario answers host reads") }
                    }
                }
            }
            for action in scenario.calls {
                if case .switchTo(let vcpu) = action { #expect(vcpu < scenario.vcpuCount, "\(guestCase.name)") }
            }
        }
    }

    @Test("the programs of each case fit the programs area together")
    func fits() throws {
        for guestCase in GuestCatalog.all {
            let scenario = try guestCase.build()
            let bytes = scenario.programs.reduce(0) { $0 + $1.main.bytes.count + $1.irq.bytes.count + $1.fiq.bytes.count }
            #expect(bytes <= GuestLayout.programsBytes, "\(guestCase.name): \(bytes) bytes")
        }
    }
}
