/// The kernel lines' list-register mechanics, which decide what a guest sees when more
/// interrupts are pending or active than the host has list registers (GICModel.docc/GuestDelivery.md).
///
/// Debian's 6.12.118 has none of the LR-overflow series (its changelog lists no such backport);
/// 7.x has all of it: "KVM: arm64: Add LR overflow infrastructure", Marc Zyngier, merged for
/// 6.19 (kvmarm merge 4c3a486c08ed), and the fix 6da5e537f5af.
extension KernelBehaviour {
    /// How an overflowing ap_list is sorted before the list registers are filled.
    ///
    /// 6.12: active interrupts first, in list order, then enabled pending ones by priority
    /// (`vgic_irq_cmp`: "active interrupts can never be pushed out of the LRs"). 7.x: deliverable
    /// first, then group-enabled, then pending-and-not-active, then by priority, then HW (05984ba67eb6
    /// "Invert ap_list sorting to push active interrupts out", 33c1f60b3213 "Move undeliverable
    /// interrupts to the end of ap_list").
    public var sortsPendingFirst: Bool { self == .linux7 }

    /// Whether the list registers' overflow is tracked with NPIE, LRENPIE and EOIcount, and the
    /// group enables with maintenance interrupts (6780a756044c, a69e2d6f8934, 3cfd59f81e0f,
    /// f4ded7b0848e). 6.12 sets only UIE, and only when it could not fit the list.
    public var handlesListRegisterOverflow: Bool { self == .linux7 }

    /// Whether ICV_DIR_EL1 traps while actives are outside the list registers or an SPI is in
    /// flight, and the trap deactivates (70fd60bdedc9, 1c3b3cadcd69, cd4f6ee99b28). On 6.12 a DIR
    /// that finds no list register is lost.
    public var trapsDeactivation: Bool { self == .linux7 }

    /// `active_spis` (1c3b3cadcd69): counted on every SPI queued, decremented only when a
    /// deactivated SPI's list register asked for the EOI maintenance interrupt.
    public var tracksActiveSPIs: Bool { self == .linux7 }

    /// Whether the flush runs with an empty ap_list (7.x programs ICH_HCR_EL2 on every entry,
    /// 00c6d0d4a805 "Decouple ICH_HCR_EL2 programming from LRs"; 6.12 returns early).
    public var programsControlWithEmptyList: Bool { self == .linux7 }
}
