import GICModel
import GICVocabulary
import KVM
import VGIC

/// The ITS's registers and controls on the kernel, each against the `ITSRegister` table
/// (GICVocabulary.docc/ITSRegisterMap.md, Conformance.docc/DeviceInterrupts.md): reset values,
/// read-only fields, sanitising, the command-queue offsets and the two userspace write hooks, the
/// attribute's alignment and region rules, enabling, `CTRL_RESET`, table save and restore, and the
/// redistributors' LPI registers selected by affinity.
extension ScenarioCatalog {
    public static var its: [Scenario] {
        [
            Scenario("its.registers.reset") { context in ITSScenarios.resetValues(context) },
            Scenario("its.registers.read_only") { context in ITSScenarios.readOnly(context) },
            Scenario("its.registers.sanitising") { context in ITSScenarios.sanitising(context) },
            Scenario("its.registers.command_queue") { context in ITSScenarios.commandQueue(context) },
            Scenario("its.registers.attribute_rules") { context in ITSScenarios.attributeRules(context) },
            Scenario("its.registers.enable") { context in ITSScenarios.enabling(context) },
            Scenario("its.ctrl.reset") { context in ITSScenarios.controlReset(context) },
            Scenario("its.ctrl.unknown") { context in ITSScenarios.unknownControl(context) },
            Scenario("its.ctrl.tables") { context in ITSScenarios.tables(context) },
            Scenario("its.address.wrong_type") { context in ITSScenarios.wrongAddressType(context) },
            Scenario("its.lpi_registers.by_affinity") { context in ITSScenarios.lpiRegisters(context) },
        ] + (GuestCatalog.lpi + GuestCatalog.lpiLatency).map { $0.scenario }
    }
}

enum ITSScenarios {
    /// Makes the ITS enabled the way a guest driver would, from the host: a 4 KiB command queue
    /// and both tables Valid (in guest RAM at 1 GiB), then GITS_CTLR.Enabled.
    static func enable(_ vgic: borrowing VGIC) throws(VGICError) {
        let ram = StraightLineGuest.ramBase
        try vgic.setITSRegister(.gitsCBASER, to: ITSRegister.validBit | ram)
        try vgic.setITSRegister(.gitsBASER, index: 0, to: ITSRegister.validBit | ram)
        try vgic.setITSRegister(.gitsBASER, index: 1, to: ITSRegister.validBit | ram)
        try vgic.setITSRegister(.gitsCTLR, to: 1)
    }

    /// Every element of every register reads the table's reset value.
    static func resetValues(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            for register in ITSRegister.all {
                for index in 0..<register.count {
                    checks.expect("\(register)[\(index)]", try? vgic.itsRegister(register, index: index), register.reset[Int(index)])
                }
            }
            return checks.outcome
        }
    }

    /// Writes of all ones leave the read-only registers and fields as they were: GITS_TYPER, the ID
    /// registers, GITS_IIDR but its revision, GITS_CTLR.Quiescent, GITS_BASER2…7.
    static func readOnly(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            for index in 0..<ITSRegister.gitsIDREGS.count {
                try vgic.setITSRegister(.gitsIDREGS, index: index, to: 0xFFFF_FFFF)
            }
            try vgic.setITSRegister(.gitsTYPER, to: UInt64.max)
            try vgic.setITSRegister(.gitsIIDR, to: 0xFFFF_0FFF)
            try vgic.setITSRegister(.gitsCTLR, to: 0x8000_0000)
            for index in UInt32(2)..<8 { try vgic.setITSRegister(.gitsBASER, index: index, to: UInt64.max) }
            for index in 0..<ITSRegister.gitsIDREGS.count {
                checks.expect("ID register \(index)", try? vgic.itsRegister(.gitsIDREGS, index: index), ITSRegister.gitsIDREGS.reset[Int(index)])
            }
            checks.expect("GITS_TYPER", try? vgic.itsRegister(.gitsTYPER), ITSRegister.gitsTYPER.reset[0])
            checks.expect("GITS_IIDR (revision 0 written)", try? vgic.itsRegister(.gitsIIDR), ITSRegister.gitsIIDR.reset[0])
            checks.expect("GITS_CTLR (Quiescent written)", try? vgic.itsRegister(.gitsCTLR), ITSRegister.gitsCTLR.reset[0])
            for index in UInt32(2)..<8 {
                checks.expect("GITS_BASER\(index)", try? vgic.itsRegister(.gitsBASER, index: index), 0)
            }
            return checks.outcome
        }
    }

    /// GITS_CBASER and GITS_BASER0/1 store what `ITSRegister.stored` says: the writable bits,
    /// the kernel's fixed fields, sanitised shareability and cacheability, RES0 bits as written.
    static func sanitising(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let values: [UInt64] = [
                UInt64.max,
                0,
                2 << 10 | 1 << 59 | 5 << 53 | 0x1234_5678_F000,  // Outer Shareable, inner nC, outer WaWb
                1 << 62 | 0xABC,  // a RES0 bit and the size
            ]
            for value in values {
                for (register, index) in [(ITSRegister.gitsCBASER, UInt32(0)), (.gitsBASER, 0), (.gitsBASER, 1)] {
                    let expected = register.stored(value, index: index) ?? 0
                    try vgic.setITSRegister(register, index: index, to: value)
                    checks.expect("\(register)[\(index)] ← \(hex(value))", try? vgic.itsRegister(register, index: index), expected)
                }
            }
            return checks.outcome
        }
    }

    /// The command queue's offsets: bits 19:5 kept, a GITS_CWRITER at or beyond the queue size
    /// ignored, a GITS_CREADR there EINVAL; writing GITS_CBASER resets both; Quiescent follows
    /// CREADR = CWRITER.
    static func commandQueue(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            try vgic.setITSRegister(.gitsCBASER, to: 1)  // two 4 KiB pages: 0x2000 bytes
            try vgic.setITSRegister(.gitsCWRITER, to: 0x1FFF)
            checks.expect("CWRITER 0x1FFF keeps 0x1FE0", try? vgic.itsRegister(.gitsCWRITER), 0x1FE0)
            try vgic.setITSRegister(.gitsCWRITER, to: 0x2000)
            checks.expect("CWRITER at the queue size ignored", try? vgic.itsRegister(.gitsCWRITER), 0x1FE0)
            checks.expect("not quiescent: CREADR ≠ CWRITER", try? vgic.itsRegister(.gitsCTLR), 0)
            checks.succeeds("CREADR 0x1FE1") { () throws(VGICError) in try vgic.setITSRegister(.gitsCREADR, to: 0x1FE1) }
            checks.expect("CREADR keeps 0x1FE0", try? vgic.itsRegister(.gitsCREADR), 0x1FE0)
            checks.expect("quiescent again", try? vgic.itsRegister(.gitsCTLR), 0x8000_0000)
            checks.refused("CREADR at the queue size", { error in
                if case .itsValueRejected(.gitsCREADR, let e) = error { return e.errno == .EINVAL }
                return false
            }) { () throws(VGICError) in try vgic.setITSRegister(.gitsCREADR, to: 0x2000) }
            try vgic.setITSRegister(.gitsCBASER, to: 0)
            checks.expect("CBASER reset CWRITER", try? vgic.itsRegister(.gitsCWRITER), 0)
            checks.expect("…and CREADR", try? vgic.itsRegister(.gitsCREADR), 0)
            return checks.outcome
        }
    }

    /// The attribute itself: misaligned offsets EINVAL (before anything else), holes and the
    /// doorbell ENXIO, HAS likewise; an ITS without an address ENXIO for GET and SET but 0 for
    /// HAS; GITS_IIDR with a revision other than 0 EINVAL.
    static func attributeRules(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { machine, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let cases: [(UInt32, Errno)] = [
                (0x2, .EINVAL), (0xC, .EINVAL), (0x84, .EINVAL), (0x104, .EINVAL), (0xFFCC, .EINVAL),
                (0x10, .ENXIO), (0x18, .ENXIO), (0x98, .ENXIO), (0x140, .ENXIO), (0xFFC8, .ENXIO), (ITSRegister.translaterOffset, .ENXIO),
            ]
            try vgic.withITS { (its) throws(VGICError) in
                its.withDevice { device in
                    for (offset, errno) in cases {
                        let attribute = DeviceAttribute<UInt64>.itsRegister(offset: offset)
                        checks.kernelRefuses("GET \(hex(offset))", errno) { () throws(KVMError) in _ = try device.get(attribute) }
                        checks.kernelRefuses("SET \(hex(offset))", errno) { () throws(KVMError) in try device.set(attribute, to: 0) }
                        if errno == .EINVAL {
                            checks.kernelRefuses("HAS \(hex(offset))", errno) { () throws(KVMError) in _ = try device.has(attribute) }
                        } else {
                            checks.expect("HAS \(hex(offset)) is false", try? device.has(attribute), false)
                        }
                    }
                }
            }
            checks.refused("GITS_IIDR revision 1", { error in
                if case .itsValueRejected(.gitsIIDR, let e) = error { return e.errno == .EINVAL }
                return false
            }) { () throws(VGICError) in try vgic.setITSRegister(.gitsIIDR, to: 1 << 12) }
            // A second ITS, not yet placed.
            let unplaced = try DeviceInterruptLab.kvm { () throws(KVMError) in try machine.vm.createDevice(.vgicITS) }
            let ctlr = DeviceAttribute<UInt64>.itsRegister(offset: 0)
            checks.kernelRefuses("GET GITS_CTLR of an unplaced ITS", .ENXIO) { () throws(KVMError) in _ = try unplaced.get(ctlr) }
            checks.kernelRefuses("SET GITS_CTLR of an unplaced ITS", .ENXIO) { () throws(KVMError) in try unplaced.set(ctlr, to: 0) }
            checks.expect("HAS GITS_CTLR of an unplaced ITS", try? unplaced.has(ctlr), true)
            return checks.outcome
        }
    }

    /// GITS_CTLR.Enabled: refused (ignored) unless CBASER and both BASERs are Valid; while
    /// enabled, CBASER and BASER writes are ignored and a CREADR write is EBUSY (`.itsEnabled`);
    /// disabled again, they are taken.
    static func enabling(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            try vgic.setITSRegister(.gitsCTLR, to: 1)
            checks.expect("no Valid tables: stays disabled", try? vgic.itsRegister(.gitsCTLR), 0x8000_0000)
            try vgic.setITSRegister(.gitsCBASER, to: ITSRegister.validBit)
            try vgic.setITSRegister(.gitsBASER, index: 0, to: ITSRegister.validBit)
            try vgic.setITSRegister(.gitsCTLR, to: 1)
            checks.expect("collection table not Valid: stays disabled", try? vgic.itsRegister(.gitsCTLR), 0x8000_0000)
            try ITSScenarios.enable(vgic)
            checks.expect("enabled", try? vgic.itsRegister(.gitsCTLR), 0x8000_0001)
            let cbaser = try vgic.itsRegister(.gitsCBASER)
            try vgic.setITSRegister(.gitsCBASER, to: 0)
            checks.expect("CBASER ignored while enabled", try? vgic.itsRegister(.gitsCBASER), cbaser)
            let baser0 = try vgic.itsRegister(.gitsBASER, index: 0)
            try vgic.setITSRegister(.gitsBASER, index: 0, to: 0)
            checks.expect("BASER0 ignored while enabled", try? vgic.itsRegister(.gitsBASER, index: 0), baser0)
            checks.refused("CREADR while enabled", { if case .itsEnabled(let e) = $0 { e.errno == .EBUSY } else { false } }) {
                () throws(VGICError) in try vgic.setITSRegister(.gitsCREADR, to: 0)
            }
            try vgic.setITSRegister(.gitsCTLR, to: 0)
            checks.expect("disabled", try? vgic.itsRegister(.gitsCTLR), 0x8000_0000)
            try vgic.setITSRegister(.gitsCBASER, to: 0)
            checks.expect("CBASER taken once disabled (0 sanitised: inner nCnB becomes RaWb)", try? vgic.itsRegister(.gitsCBASER),
                ITSRegister.gitsCBASER.stored(0) ?? 0)
            return checks.outcome
        }
    }

    /// `KVM_DEV_ARM_ITS_CTRL_RESET`: disabled and quiescent, CBASER, CREADR and CWRITER 0, Valid
    /// cleared in both tables with their other fields kept; the ABI revision stays.
    static func controlReset(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            try ITSScenarios.enable(vgic)
            try vgic.setITSRegister(.gitsCWRITER, to: 0x40)
            let tables = [try vgic.itsRegister(.gitsBASER, index: 0), try vgic.itsRegister(.gitsBASER, index: 1)]
            checks.succeeds("CTRL_RESET") { () throws(VGICError) in try vgic.resetITS() }
            checks.expect("GITS_CTLR", try? vgic.itsRegister(.gitsCTLR), 0x8000_0000)
            checks.expect("GITS_CBASER", try? vgic.itsRegister(.gitsCBASER), 0)
            checks.expect("GITS_CREADR", try? vgic.itsRegister(.gitsCREADR), 0)
            checks.expect("GITS_CWRITER", try? vgic.itsRegister(.gitsCWRITER), 0)
            for index in 0..<2 {
                checks.expect("GITS_BASER\(index): Valid cleared, the rest kept", try? vgic.itsRegister(.gitsBASER, index: UInt32(index)),
                    tables[index] & ~ITSRegister.validBit)
            }
            checks.expect("GITS_IIDR", try? vgic.itsRegister(.gitsIIDR), ITSRegister.gitsIIDR.reset[0])
            return checks.outcome
        }
    }

    /// A `GRP_CTRL` attribute the ITS does not know (SAVE_PENDING_TABLES, 5, 99): HAS ENXIO on
    /// both lines; SET 0 on 6.12 (no default case in `vgic_its_ctrl`), ENXIO on 7.x
    /// (`KernelBehaviour.itsRefusesUnknownControl`); GET of any CTRL attribute ENXIO.
    static func unknownControl(_ context: ScenarioContext) -> Outcome {
        guard let line = KernelBehaviour(release: context.kernelRelease) else { return .fail("unknown kernel line") }
        return DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            try vgic.withITS { (its) throws(VGICError) in
                its.withDevice { device in
                    for attr: UInt64 in [3, 5, 99] {
                        let operation = DeviceAttribute<NoPayload>.control(ControlOperation(rawValue: attr))
                        checks.expect("HAS CTRL \(attr)", try? device.has(operation), false)
                        if line.itsRefusesUnknownControl {
                            checks.kernelRefuses("SET CTRL \(attr)", .ENXIO) { () throws(KVMError) in try device.perform(operation) }
                        } else {
                            checks.kernelAccepts("SET CTRL \(attr)") { () throws(KVMError) in try device.perform(operation) }
                        }
                    }
                    checks.kernelRefuses("GET CTRL_INIT", .ENXIO) { () throws(KVMError) in _ = try device.get(.control(.initialize)) }
                }
            }
            return checks.outcome.annotated(line.itsRefusesUnknownControl ? "ENXIO" : "accepted")
        }
    }

    /// Table save and restore: with no Valid table, nothing happens (0); a Valid collection table
    /// in guest RAM saves and restores (one empty entry); one outside guest RAM fails with EFAULT
    /// (`.guestMemory`): the tables live in guest memory.
    static func tables(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            checks.succeeds("save, no Valid table") { () throws(VGICError) in try vgic.saveITSTables() }
            checks.succeeds("restore, no Valid table") { () throws(VGICError) in try vgic.restoreITSTables() }
            try vgic.setITSRegister(.gitsBASER, index: 1, to: ITSRegister.validBit | StraightLineGuest.ramBase)
            checks.succeeds("save, collection table in RAM") { () throws(VGICError) in try vgic.saveITSTables() }
            checks.succeeds("restore, collection table in RAM") { () throws(VGICError) in try vgic.restoreITSTables() }
            try vgic.setITSRegister(.gitsBASER, index: 1, to: ITSRegister.validBit | 0x8000_0000)
            let outside: (VGICError) -> Bool = { if case .guestMemory(let e) = $0 { e.errno == .EFAULT } else { false } }
            checks.refused("save, collection table outside RAM", outside) { () throws(VGICError) in try vgic.saveITSTables() }
            checks.refused("restore, collection table outside RAM", outside) { () throws(VGICError) in try vgic.restoreITSTables() }
            return checks.outcome
        }
    }

    /// `KVM_DEV_ARM_VGIC_GRP_ADDR` of a type other than `KVM_VGIC_ITS_ADDR_TYPE`: SET and GET
    /// answer ENODEV (`vgic_its_set_attr` returns it unmapped), HAS ENXIO.
    static func wrongAddressType(_ context: ScenarioContext) -> Outcome {
        DeviceInterruptLab.withVGIC(context, its: true) { _, vgic, _ throws(VGICError) in
            var checks = VGICInitChecks()
            try vgic.withITS { (its) throws(VGICError) in
                its.withDevice { device in
                    let address = DeviceAttribute<UInt64>.address(.v3Distributor)
                    checks.kernelRefuses("SET", .ENODEV) { () throws(KVMError) in try device.set(address, to: 0x0400_0000) }
                    checks.kernelRefuses("GET", .ENODEV) { () throws(KVMError) in _ = try device.get(address) }
                    checks.expect("HAS", try? device.has(address), false)
                    checks.expect("the ITS's own", try? device.get(.address(.its)), DeviceInterruptLab.itsBase)
                }
            }
            return checks.outcome
        }
    }

    /// GICR_PROPBASER, GICR_PENDBASER and GICR_CTLR.EnableLPIs, selected by affinity on vCPUs
    /// whose MPIDR is not KVM's default (so an index-derived selector would name another vCPU):
    /// PROPBASER reads 0x580 once an ITS exists and is one register for the VM; PENDBASER is per
    /// vCPU and reads PTZ as 0; EnableLPIs freezes that vCPU's PENDBASER but not the shared
    /// PROPBASER through another vCPU; `SAVE_PENDING_TABLES` with no LPIs succeeds.
    static func lpiRegisters(_ context: ScenarioContext) -> Outcome {
        let mpidr: (UInt32) -> UInt64 = { id in 0x8000_0000 | UInt64(id + 1) << 8 }
        return DeviceInterruptLab.withVGIC(context, vcpus: 2, its: true, mpidr: mpidr) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let (first, second) = (vcpus[0], vcpus[1])
            checks.check("affinities are not the ids'", first.affinity == Affinity(aff1: 1, aff0: 0) && second.affinity == Affinity(aff1: 2, aff0: 0))
            checks.expect("PROPBASER of vCPU 0", try? vgic.lpiPropertyBase(of: first), 0x580)
            checks.expect("PROPBASER of vCPU 1", try? vgic.lpiPropertyBase(of: second), 0x580)
            // 13 ID bits, at 1 GiB + 1 MiB; sane fields, so it reads back as written.
            let propbaser: UInt64 = 0x4010_0000 | 0x780 | 13
            try vgic.setLPIPropertyBase(propbaser, of: second)
            checks.expect("written through vCPU 1, read through vCPU 0", try? vgic.lpiPropertyBase(of: first), propbaser)
            let pendbaser: UInt64 = 1 << 62 | 0x4020_0000 | 0x580
            try vgic.setLPIPendingBase(pendbaser, of: first)
            checks.expect("PENDBASER of vCPU 0: PTZ reads 0", try? vgic.lpiPendingBase(of: first), pendbaser & ~(1 << 62))
            checks.expect("PENDBASER of vCPU 1 untouched", try? vgic.lpiPendingBase(of: second), 0x580)
            checks.expect("EnableLPIs off", try? vgic.lpisEnabled(on: first), false)
            try vgic.setLPIsEnabled(true, on: first)
            checks.expect("EnableLPIs on vCPU 0", try? vgic.lpisEnabled(on: first), true)
            checks.expect("…not on vCPU 1", try? vgic.lpisEnabled(on: second), false)
            try vgic.setLPIPendingBase(0x4030_0000 | 0x580, of: first)
            checks.expect("vCPU 0's PENDBASER frozen", try? vgic.lpiPendingBase(of: first), pendbaser & ~(1 << 62))
            try vgic.setLPIPropertyBase(0x4040_0000 | 0x780 | 13, of: first)
            checks.expect("PROPBASER frozen through vCPU 0", try? vgic.lpiPropertyBase(of: second), propbaser)
            try vgic.setLPIPropertyBase(0x4050_0000 | 0x780 | 13, of: second)
            checks.expect("…but not through vCPU 1, whose LPIs are off", try? vgic.lpiPropertyBase(of: first), 0x4050_0000 | 0x780 | 13)
            checks.succeeds("SAVE_PENDING_TABLES") { () throws(VGICError) in try vgic.savePendingTables() }
            try vgic.setLPIsEnabled(false, on: first)
            checks.expect("EnableLPIs off again", try? vgic.lpisEnabled(on: first), false)
            return checks.outcome
        }
    }
}
