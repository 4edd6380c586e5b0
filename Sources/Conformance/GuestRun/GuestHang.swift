import GICVocabulary
import GuestHarness

/// What the host knows of a guest the watchdog stopped: how long it went without an exit, its
/// PC and its step pointer (X20, the step after the one executing), as KVM_GET_ONE_REG read
/// them; and the sentence that names them in the runtime's and the program's terms.
struct GuestHang: Hashable, Sendable {
    var milliseconds: Int64
    var pc: UInt64?
    var nextStep: UInt64?

    /// "no exit for 1000 ms; PC 0x40000dd8 (op_waitForInterrupt_38 + 4) in main[1] .waitForInterrupt":
    /// the PC as the nearest runtime label at or below it, the step as its program, index and op.
    func description(load: GuestLoad, runtime: GuestRuntime.Image) -> String {
        var detail = "no exit for \(milliseconds) ms"
        if let pc {
            detail += "; PC \(hex(pc))"
            if pc >= GuestLayout.ramBase {
                let offset = Int(pc - GuestLayout.ramBase)
                if let label = runtime.program.labels.last(where: { $0.index * 4 <= offset }) {
                    detail += " (\(label.name) + \(offset - label.index * 4))"
                }
            }
        }
        if let next = nextStep, next >= UInt64(GuestStep.size), let step = load.locate(step: next - UInt64(GuestStep.size)),
            let op = load.op(vcpu: step.vcpu, kind: step.kind, index: step.index)
        {
            detail += " in \(step.kind)[\(step.index)] \(op)"
        }
        return detail
    }
}
