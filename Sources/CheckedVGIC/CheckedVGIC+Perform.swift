import GICModel
import GICVocabulary
import KVM
import VGIC

/// Applying one operation to both sides.
extension CheckedVGIC {
    /// Applies `operation` to the kernel and to the model and compares the outcomes.
    ///
    /// The kernel goes first; the model then applies the same operation whatever the kernel said,
    /// because a refused write can still have changed state on either side (a refused
    /// ICC_CTLR_EL1 write lowers the priority bits it accepted first). A disagreement is in the
    /// report (`agrees` false) and is recorded; register state is compared by `verify`.
    ///
    /// - Throws: only a `.configuration` problem the `VGIC` API refuses before any ioctl (an index
    ///   beyond the register, a value wider than its element); then neither side changed.
    @discardableResult
    public mutating func perform(_ operation: GICv3Operation) throws(VGICError) -> OperationReport {
        try performKeepingRefusal(operation).report
    }

    /// `perform`, also handing back the kernel's refusal as the `VGIC` API threw it.
    mutating func performKeepingRefusal(
        _ operation: GICv3Operation
    ) throws(VGICError) -> (report: OperationReport, refusal: VGICError?) {
        var refusal: VGICError? = nil
        let kernel: AccessOutcome
        do throws(VGICError) {
            try sendToKernel(operation)
            kernel = .done
        } catch {
            kernel = try Self.refusal(error)
            refusal = error
        }
        let modelOutcome = model.outcome(of: operation)
        let report = OperationReport(operation: operation, kernel: kernel, model: modelOutcome)
        if !report.agrees {
            recordedDifferences.append(model.difference(of: operation, expected: modelOutcome, actual: kernel))
        }
        return (report, refusal)
    }

    /// Sends `operation` to the kernel through the `VGIC` API.
    mutating func sendToKernel(_ operation: GICv3Operation) throws(VGICError) {
        switch operation {
        case .setLine(let word, let level):
            kernelAccesses += 1
            try vgic.setLine(word, level)
        case .writeDistributor(let register, let index, let value):
            kernelAccesses += Int(register.elementSize / 4)
            try vgic.setDistributorRegister(register, index: index, to: value)
        case .writeRedistributor(let register, let index, let vcpu, let value):
            kernelAccesses += Int(register.elementSize / 4)
            try vgic.setRedistributorRegister(register, index: index, of: identity(vcpu), to: value)
        case .writeLineLevels(let vcpu, let first, let bitmap):
            kernelAccesses += 1
            try vgic.setLineLevels(try Self.selector(vcpu, first), to: bitmap)
        case .writeSystemRegister(let register, let vcpu, let value):
            kernelAccesses += 1
            try vgic.setSystemRegister(register, of: identity(vcpu), to: value)
        }
    }

    /// A kernel refusal as an outcome; a refusal before any ioctl is rethrown.
    static func refusal(_ error: VGICError) throws(VGICError) -> AccessOutcome {
        guard let errno = error.errno else { throw error }
        return .refused(KernelErrno(rawValue: errno.rawValue))
    }

    /// The LEVEL_INFO selector for `first` on `vcpu`.
    static func selector(_ vcpu: Affinity, _ first: UInt32) throws(VGICError) -> LevelInfoSelector {
        do throws(GICValueError) {
            return try LevelInfoSelector(affinity: vcpu, firstINTID: first)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }
}
