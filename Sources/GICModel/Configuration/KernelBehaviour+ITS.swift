/// Where the kernel lines' ITS emulation differs (`arch/arm64/kvm/vgic/vgic-its.c` of Debian
/// 6.12.118 and 7.3.4; GICModel.docc/ITSModel.md). Each is a rule the ITS model follows and the
/// lab's `its.differential.*` and `its.tables.*` scenarios check on both kernels.
extension KernelBehaviour {
    /// Whether a MAPTI (or a restored ITE) of an LPI that another event already maps is refused.
    ///
    /// 6.12: `vgic_add_lpi` returns the existing `vgic_irq` and the new ITE shares it, so two
    /// events raise one LPI (its target stays the first mapping's). 7.x: "Mapping one LPI from two
    /// events is UNPREDICTABLE: the first ITE keeps it" — `vgic_its_map_lpi` refuses while the
    /// LPI's `mapped` flag is set: the MAPTI fails with EEXIST (the second event stays unmapped), a
    /// restored ITE is dropped. The change is the stable commit "KVM: arm64: vgic-its: Don't map an
    /// LPI from more than one event", in Debian's 7.3.4 (upstream ChangeLog-7.3.4), not in 6.12.118.
    public var itsRefusesSharedLPI: Bool { self == .linux7 }

    /// Whether a saved ITE's `next` skips the translations that lost their collection (a MAPC
    /// with V=0 keeps them, saved as zero entries).
    ///
    /// 6.12's `compute_next_eventid_offset` points at the next ITE in the list whatever it holds,
    /// so an entry may point at a zero entry (which the restore path steps over one by one); 7.x
    /// points at the next ITE `vgic_its_save_ite` stores as valid. The restored state is the
    /// same; the saved bytes differ. 6.12.118 has the zero entry for such an ITE (the stable commit
    /// "KVM: arm64: vgic-its: Don't dereference a NULL collection on ITT" in Debian's changelog)
    /// but not the changed offset, which 7.3.4's `compute_next_eventid_offset` carries ("Point at
    /// the next ITE that vgic_its_save_ite() stores as valid"); its commit is not named in either
    /// Debian changelog.
    public var itsNextEventSkipsUncollected: Bool { self == .linux7 }
}
