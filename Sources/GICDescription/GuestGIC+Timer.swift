import DeviceTree
import GICVocabulary

/// The architected timer's node (GICDescription.docc/GICBinding.md, "The timer").
extension GuestGIC {
    /// `timer`: `compatible = "arm,armv8-timer"`, the timer PPIs level-triggered in the
    /// binding's order (the EL2 virtual timer only for an EL2 guest), and `always-on`.
    public func timer(_ ppis: ArchTimerPPIs = .kvm) -> DeviceTreeNode {
        let interrupts = ppis.listed(guestHasEL2: el2 != nil).flatMap { interrupt($0, .levelHigh).cells }
        return DeviceTreeNode(
            "timer",
            properties: [
                .string("compatible", "arm,armv8-timer"),
                .cells("interrupts", interrupts),
                .flag("always-on"),
            ])
    }
}
