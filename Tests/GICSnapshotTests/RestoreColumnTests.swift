@testable import GICSnapshot
import GICVocabulary
import Testing

/// The restore order states when each register is written; the register table's `restore`
/// column states how and whether. These hold the two together: every register the column says a
/// snapshot restores is in the order exactly once, with the operation the column names, and no
/// other register is.
@Suite("Restore order follows the register table's restore column")
struct RestoreColumnTests {
    /// The GICv3 register each step writes, with the step.
    var writtenRegisters: [(GICv3Register, RestoreStep)] {
        RestoreOrder.steps.compactMap { step in
            switch step.operation {
            case .implementation: (.gicdIIDR, step)
            case .writeBack(.distributor(let r)), .writeBack(.redistributor(let r)),
                 .writeBackIfDifferent(.distributor(let r)), .writeBackIfDifferent(.redistributor(let r)):
                (r, step)
            case .clear(let r, _): (r, step)
            default: nil
            }
        }
    }

    @Test("every listed register has an operation in its row")
    func noUnrestorableEntries() {
        #expect(RestoreOrder.unrestorable.isEmpty)
    }

    @Test("each row that restores appears once; identity and not-saved rows never")
    func coverage() {
        let written = writtenRegisters.map(\.0)
        for register in GICv3Register.all {
            let count = written.filter { $0 == register }.count
            switch register.restore {
            case .writeBack, .onlyIfDifferent, .clearsBeforeSet, .implementation:
                #expect(count == 1, "\(register.name)")
            case .identity, .notSaved:
                #expect(count == 0, "\(register.name)")
            }
        }
    }

    @Test("each step's operation is the one its register's row names")
    func operations() throws {
        for (register, step) in writtenRegisters {
            switch (register.restore, step.operation) {
            case (.writeBack, .writeBack), (.onlyIfDifferent, .writeBackIfDifferent), (.implementation, .implementation):
                break
            case (.clearsBeforeSet, .clear(_, let before)):
                let partner = try #require(register.setPartner, "\(register.name)")
                let saved: SnapshotRegister = partner.frame == .distributor ? .distributor(partner) : .redistributor(partner)
                #expect(before == saved, "\(register.name) clears just before its set partner")
            default:
                Issue.record("\(register.name): row says \(register.restore), step is \(step.operation)")
            }
        }
    }

    @Test("a clear step sits directly before the write-back of its partner")
    func clearBeforePartner() {
        for phase in RestoreOrder.phases {
            for (index, step) in phase.steps.enumerated() {
                guard case .clear(_, let before) = step.operation else { continue }
                #expect(index + 1 < phase.steps.count && phase.steps[index + 1].operation == .writeBack(before))
            }
        }
    }
}
