import GICModel
import GICVocabulary
import GuestHarness

/// The guest's side of the ITS (`its.guest.*`, Conformance.docc/LPIGuest.md): a guest brings up
/// LPIs itself — property and pending tables in its RAM, the redistributors' PROPBASER, PENDBASER
/// and EnableLPIs, the ITS's tables and command queue (`LPIDriver`) — maps devices, collections
/// and events with commands it writes into the queue, and takes the LPIs the host raises with
/// `KVM_SIGNAL_MSI` or through irqfds on MSI routes (`VGIC.connectMSI`), as a VMM's PCI devices
/// raise them. The model runs the same programs (the ITS of `ITSModel`, LPIs in `VGICDelivery`,
/// the guest's RAM as `SparseGuestMemory`) and must predict each trace event for event.
///
/// Each vCPU signals (through host calls) the events whose collection targets it and waits for
/// them; an LPI that reached another vCPU would show in that vCPU's acknowledgements, or leave the
/// waiting one hung.
extension GuestCatalog {
    static var lpi: [GuestCase] {
        [
            GuestCase("its.guest.signal_msi", build: { () throws(GuestProgramError) in try GuestLPIScenarios.delivery(.signalMSI) }) {
                outcome, _ in GuestLPIScenarios.checkDelivery(outcome, .signalMSI)
            },
            GuestCase("its.guest.irqfd_msi_route", build: { () throws(GuestProgramError) in try GuestLPIScenarios.delivery(.msiRoute) }) {
                outcome, _ in GuestLPIScenarios.checkDelivery(outcome, .msiRoute)
            },
            GuestCase("its.guest.movi_movall", build: { () throws(GuestProgramError) in try GuestLPIScenarios.moves() }) {
                outcome, _ in GuestLPIScenarios.checkMoves(outcome)
            },
            GuestCase("its.guest.discard_clear", build: { () throws(GuestProgramError) in try GuestLPIScenarios.discardClear() }) {
                outcome, _ in GuestLPIScenarios.checkDiscardClear(outcome)
            },
            GuestCase("its.guest.disabled_until_inv", build: { () throws(GuestProgramError) in try GuestLPIScenarios.disabledUntilInvalidated() }) {
                outcome, _ in GuestLPIScenarios.checkDisabledUntilInvalidated(outcome)
            },
            GuestCase("its.guest.unmapped_collection", build: { () throws(GuestProgramError) in try GuestLPIScenarios.unmappedCollection() }) {
                outcome, _ in GuestLPIScenarios.checkUnmappedCollection(outcome)
            },
            GuestCase("its.guest.lpi_stress", build: { () throws(GuestProgramError) in try GuestLPIScenarios.stress() }) {
                outcome, _ in GuestLPIScenarios.checkStress(outcome)
            },
        ]
    }
}

enum GuestLPIScenarios {
    /// How the host raises an event.
    enum Method {
        /// `KVM_SIGNAL_MSI` (the answer, 1, is in the trace).
        case signalMSI
        /// An irqfd on an MSI route (GSI 200 + n).
        case msiRoute
    }

    /// The LPI of event `event` of device 0 (`MAPTI` maps event n to LPI 8192 + n).
    static func lpi(_ event: UInt32) -> UInt32 { LPIGuestLayout.firstLPI + event }

    /// The ITT of each device, sized for `eventIDBits`.
    static func mapDevice(_ device: UInt32, eventIDBits: UInt8) -> ITSCommand {
        .mapd(device: device, itt: eventIDBits > 7 ? LPIGuestLayout.wideITT : LPIGuestLayout.itt(device), eventIDBits: eventIDBits, valid: true)
    }

    // MARK: Delivery to several vCPUs

    /// Device 0's events 0...3 → LPIs 8192...8195 (MAPTI), events 0 and 1 in collection 0 (vCPU 0),
    /// 2 and 3 in collection 1 (vCPU 1); device 1's event 8200 → LPI 8200 (MAPI) in collection 1.
    static let deliveryEvents: [(device: UInt32, event: UInt32, lpi: UInt32, vcpu: Int)] = [
        (0, 0, 8192, 0), (0, 1, 8193, 0), (0, 2, 8194, 1), (0, 3, 8195, 1), (1, 8200, 8200, 1),
    ]

    /// Two vCPUs; vCPU 0 brings up LPIs and the ITS, maps two collections (each SYNC'd), two
    /// devices and five events (INVALL for each collection, as Linux's `its_cpu_init_collection`
    /// does), then each vCPU has the host raise its events one at a time by `method` and waits for
    /// each.
    static func delivery(_ method: Method) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var driver = LPIDriver(vcpuCount: 2)
        var mains = [GuestScript(), GuestScript()]
        driver.bringUp(&mains[0], lpis: deliveryEvents.map { $0.lpi })
        var commands: [ITSCommand] = [
            .mapc(collection: 0, target: 0, valid: true), .sync(target: 0),
            .mapc(collection: 1, target: 1, valid: true), .sync(target: 1),
            mapDevice(0, eventIDBits: 5), mapDevice(1, eventIDBits: 14),
        ]
        for entry in deliveryEvents {
            if entry.device == 1 {
                commands.append(.mapi(device: entry.device, event: entry.event, collection: UInt16(entry.vcpu)))
            } else {
                commands.append(.mapti(device: entry.device, event: entry.event, lpi: entry.lpi, collection: UInt16(entry.vcpu)))
            }
        }
        commands += [.invall(collection: 0), .invall(collection: 1), .sync(target: 0)]
        driver.send(commands, &mains[0])

        var routes: [GuestMSIRoute] = []
        var counts = [UInt64](repeating: 0, count: 2)
        for entry in deliveryEvents {
            let action: HostAction
            switch method {
            case .signalMSI:
                action = .signalMSI(device: entry.device, event: entry.event)
            case .msiRoute:
                action = .signalMSIRoute(routes.count)
                routes.append(GuestMSIRoute(device: entry.device, event: entry.event, gsi: 200 + UInt32(routes.count)))
            }
            mains[entry.vcpu].host(calls.call(action))
            counts[entry.vcpu] += 1
            mains[entry.vcpu].waitForInterrupts(count: counts[entry.vcpu])
        }
        var programs: [GuestPrograms] = []
        for var main in mains {
            main.finish()
            programs.append(GuestPrograms(main: try main.program(), irq: try GuestScript.countingHandler().program()))
        }
        var scenario = GuestScenario(vcpuCount: 2, programs: programs)
        scenario.its = true
        scenario.msiRoutes = routes
        scenario.setup = GuestSetup.standard(vcpus: 2)
        scenario.calls = calls.actions
        return scenario
    }

    static func checkDelivery(_ outcome: GuestOutcome, _ method: Method) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        for vcpu in 0..<2 {
            checks.expect("LPIs taken by vCPU \(vcpu)", outcome.trace.acknowledged(by: vcpu), deliveryEvents.filter { $0.vcpu == vcpu }.map { $0.lpi })
        }
        checks.expect("GITS_CREADR after the 14 commands", outcome.trace.values(.observed, of: 0), [UInt64(14 * ITSCommand.size)])
        checks.expect(
            "KVM_SIGNAL_MSI's answers", outcome.trace.observations,
            method == .signalMSI ? [UInt64](repeating: 1, count: deliveryEvents.count) : [])
        return checks.verdict(
            "5 LPIs (MAPTI and MAPI) raised by \(method == .signalMSI ? "KVM_SIGNAL_MSI" : "irqfds on MSI routes"), each taken once by the vCPU of its collection")
    }

    // MARK: MOVI and MOVALL

    /// Two vCPUs, device 0's events 0 and 1 (LPIs 8192, 8193) in collection 0 (vCPU 0). vCPU 0
    /// takes event 0, then moves it to collection 1 (MOVI) and every LPI still targeting vCPU 0 to
    /// vCPU 1 (MOVALL: KVM retargets the LPIs, `vgic_its_cmd_handle_movall`, while collection 0 keeps
    /// targeting vCPU 0); vCPU 1 then has both raised and takes both.
    static func moves() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var driver = LPIDriver(vcpuCount: 2)
        var first = GuestScript()
        var second = GuestScript()
        driver.bringUp(&first, lpis: [lpi(0), lpi(1)])
        driver.send([
            .mapc(collection: 0, target: 0, valid: true), .mapc(collection: 1, target: 1, valid: true),
            mapDevice(0, eventIDBits: 5),
            .mapti(device: 0, event: 0, lpi: lpi(0), collection: 0), .mapti(device: 0, event: 1, lpi: lpi(1), collection: 0),
            .sync(target: 0),
        ], &first)
        let event0 = calls.call(.signalMSI(device: 0, event: 0))
        let event1 = calls.call(.signalMSI(device: 0, event: 1))
        first.host(event0)
        first.waitForInterrupts(count: 1)
        driver.send([.movi(device: 0, event: 0, collection: 1), .sync(target: 1), .movall(from: 0, to: 1), .sync(target: 1)], &first)
        first.finish()
        second.host(event0)
        second.waitForInterrupts(count: 1)
        second.host(event1)
        second.waitForInterrupts(count: 2)
        second.finish()
        let handler = try GuestScript.countingHandler().program()
        var scenario = GuestScenario(
            vcpuCount: 2, programs: [GuestPrograms(main: try first.program(), irq: handler), GuestPrograms(main: try second.program(), irq: handler)])
        scenario.its = true
        scenario.setup = GuestSetup.standard(vcpus: 2)
        scenario.calls = calls.actions
        return scenario
    }

    static func checkMoves(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("vCPU 0 before the moves", outcome.trace.acknowledged(by: 0), [lpi(0)])
        checks.expect("vCPU 1 after MOVI and MOVALL", outcome.trace.acknowledged(by: 1), [lpi(0), lpi(1)])
        checks.expect("GITS_CREADR after each batch", outcome.trace.values(.observed, of: 0), [6 * 32, 10 * 32])
        checks.expect("KVM_SIGNAL_MSI's answers", outcome.trace.observations, [1, 1, 1])
        return checks.verdict("MOVI moved event 0 and MOVALL event 1 to vCPU 1")
    }

    // MARK: DISCARD and CLEAR

    /// One vCPU, device 0's events 0 and 1 (LPIs 8192, 8193). Event 0 is DISCARD'ed: its MSI is
    /// then blocked (0) and nothing is taken. Event 1 is raised while the guest masks IRQs, then
    /// CLEAR'ed: the window after it takes nothing (IAR1 reads 1023); raised again, it is taken once.
    static func discardClear() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var driver = LPIDriver(vcpuCount: 1)
        var main = GuestScript()
        driver.bringUp(&main, lpis: [lpi(0), lpi(1)])
        driver.send([
            .mapc(collection: 0, target: 0, valid: true), mapDevice(0, eventIDBits: 5),
            .mapti(device: 0, event: 0, lpi: lpi(0), collection: 0), .mapti(device: 0, event: 1, lpi: lpi(1), collection: 0),
            .discard(device: 0, event: 0), .sync(target: 0),
        ], &main)
        let event0 = calls.call(.signalMSI(device: 0, event: 0))
        let event1 = calls.call(.signalMSI(device: 0, event: 1))
        main.host(event0)
        main.host(event1)
        driver.send([.clear(device: 0, event: 1), .sync(target: 0)], &main)
        main.takeInterrupts()
        main.observe(.iccIAR1)
        main.host(event1)
        main.waitForInterrupts(count: 1)
        main.finish()
        var scenario = try GuestScenario.oneVCPU(main: main, handler: GuestScript.countingHandler(), calls: calls)
        scenario.its = true
        return scenario
    }

    static func checkDiscardClear(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("taken: event 1 once, after its CLEAR", outcome.trace.acknowledged(by: 0), [lpi(1)])
        checks.expect("IAR1 after CLEAR", outcome.trace.values(.observed, of: 0), [6 * 32, 8 * 32, 1023])
        checks.expect("answers: discarded 0, then 1, 1", outcome.trace.observations, [0, 1, 1])
        return checks.verdict("a DISCARD'ed event is blocked, a CLEAR'ed one is not taken")
    }

    // MARK: Disabled LPIs

    /// One vCPU, LPIs 8192 and 8193 mapped with enable 0 in their property bytes. Both MSIs are
    /// accepted (1) and held pending: the window takes nothing (IAR1 1023). The guest sets 8192's
    /// enable and INVs its event: 8192 is taken; it sets 8193's and INVALLs the collection: 8193
    /// is taken.
    static func disabledUntilInvalidated() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var driver = LPIDriver(vcpuCount: 1)
        var main = GuestScript()
        driver.bringUp(&main, lpis: [lpi(0), lpi(1)], disabled: [lpi(0), lpi(1)])
        driver.send([
            .mapc(collection: 0, target: 0, valid: true), mapDevice(0, eventIDBits: 5),
            .mapti(device: 0, event: 0, lpi: lpi(0), collection: 0), .mapti(device: 0, event: 1, lpi: lpi(1), collection: 0),
            .sync(target: 0),
        ], &main)
        main.host(calls.call(.signalMSIs([GuestMSIEvent(device: 0, event: 0), GuestMSIEvent(device: 0, event: 1)])))
        main.takeInterrupts()
        main.observe(.iccIAR1)
        driver.setEnabled(&main, lpi(0), true)
        driver.send([.inv(device: 0, event: 0), .sync(target: 0)], &main)
        main.waitForInterrupts(count: 1)
        driver.setEnabled(&main, lpi(1), true)
        driver.send([.invall(collection: 0), .sync(target: 0)], &main)
        main.waitForInterrupts(count: 2)
        main.finish()
        var scenario = try GuestScenario.oneVCPU(main: main, handler: GuestScript.countingHandler(), calls: calls)
        scenario.its = true
        return scenario
    }

    static func checkDisabledUntilInvalidated(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("taken: 8192 after its INV, 8193 after INVALL", outcome.trace.acknowledged(by: 0), [lpi(0), lpi(1)])
        checks.expect("CREADR; IAR1 while disabled; CREADRs", outcome.trace.values(.observed, of: 0), [5 * 32, 1023, 7 * 32, 9 * 32])
        checks.expect("both MSIs accepted while disabled", outcome.trace.observations, [2])
        return checks.verdict("disabled LPIs held pending until enabled and invalidated")
    }

    // MARK: An unmapped collection

    /// One vCPU, event 0 → LPI 8192 in collection 0: raised, taken. Then MAPC with V=0 unmaps the
    /// collection (KVM keeps the translation with no collection and empties the translation cache,
    /// `vgic_its_cmd_handle_mapc`): the same MSI is blocked (0) and nothing is taken.
    static func unmappedCollection() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var driver = LPIDriver(vcpuCount: 1)
        var main = GuestScript()
        driver.bringUp(&main, lpis: [lpi(0)])
        driver.send([
            .mapc(collection: 0, target: 0, valid: true), mapDevice(0, eventIDBits: 5),
            .mapti(device: 0, event: 0, lpi: lpi(0), collection: 0), .sync(target: 0),
        ], &main)
        let event0 = calls.call(.signalMSI(device: 0, event: 0))
        main.host(event0)
        main.waitForInterrupts(count: 1)
        driver.send([.mapc(collection: 0, target: 0, valid: false), .sync(target: 0)], &main)
        main.host(event0)
        main.takeInterrupts()
        main.observe(.iccIAR1)
        main.finish()
        var scenario = try GuestScenario.oneVCPU(main: main, handler: GuestScript.countingHandler(), calls: calls)
        scenario.its = true
        return scenario
    }

    static func checkUnmappedCollection(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("taken: only before the unmap", outcome.trace.acknowledged(by: 0), [lpi(0)])
        checks.expect("CREADRs; IAR1 after the blocked MSI", outcome.trace.values(.observed, of: 0), [4 * 32, 6 * 32, 1023])
        checks.expect("answers: delivered, then blocked", outcome.trace.observations, [1, 0])
        return checks.verdict("an event whose collection was unmapped is blocked")
    }

    // MARK: vgic_lpi_stress, bounded

    static let stressDevices: UInt32 = 8
    static let stressEvents: UInt32 = 16
    static let stressVCPUs = 4

    /// The shape of the kernel selftest `vgic_lpi_stress` (tools/testing/selftests/kvm/arm64/),
    /// bounded for the lab: 8 devices × 16 events, LPI 8192 + 16 × device + event, collection =
    /// LPI mod 4 = vCPU (the selftest's round robin). vCPU 0 maps everything, then INVALLs each
    /// collection and SYNCs each vCPU as the selftest's guest does (148 commands); each vCPU then has the host raise
    /// its 32 events with `KVM_SIGNAL_MSI` in one call and takes all of them.
    static func stress() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var driver = LPIDriver(vcpuCount: stressVCPUs)
        var mains = [GuestScript](repeating: GuestScript(), count: stressVCPUs)
        var signals = [[GuestMSIEvent]](repeating: [], count: stressVCPUs)
        var lpis: [UInt32] = []
        var commands: [ITSCommand] = []
        for vcpu in 0..<stressVCPUs { commands.append(.mapc(collection: UInt16(vcpu), target: UInt32(vcpu), valid: true)) }
        for device in 0..<stressDevices {
            commands.append(mapDevice(device, eventIDBits: 5))
            for event in 0..<stressEvents {
                let lpi = LPIGuestLayout.firstLPI + device * stressEvents + event
                let vcpu = Int(lpi % UInt32(stressVCPUs))
                lpis.append(lpi)
                commands.append(.mapti(device: device, event: event, lpi: lpi, collection: UInt16(vcpu)))
                signals[vcpu].append(GuestMSIEvent(device: device, event: event))
            }
        }
        // As the selftest's guest_invalidate_all_rdists and its SYNC per vCPU.
        for vcpu in 0..<stressVCPUs { commands.append(.invall(collection: UInt16(vcpu))) }
        for vcpu in 0..<stressVCPUs { commands.append(.sync(target: UInt32(vcpu))) }
        driver.bringUp(&mains[0], lpis: lpis)
        driver.send(commands, &mains[0])
        var programs: [GuestPrograms] = []
        let handler = try GuestScript.countingHandler().program()
        for vcpu in 0..<stressVCPUs {
            mains[vcpu].host(calls.call(.signalMSIs(signals[vcpu])))
            mains[vcpu].waitForInterrupts(count: UInt64(signals[vcpu].count))
            mains[vcpu].finish()
            programs.append(GuestPrograms(main: try mains[vcpu].program(), irq: handler))
        }
        var scenario = GuestScenario(vcpuCount: stressVCPUs, programs: programs)
        scenario.its = true
        scenario.setup = GuestSetup.standard(vcpus: stressVCPUs)
        scenario.calls = calls.actions
        return scenario
    }

    static func checkStress(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        var total = 0
        for vcpu in 0..<stressVCPUs {
            let taken = outcome.trace.acknowledged(by: vcpu)
            total += taken.count
            let expected = (0..<(stressDevices * stressEvents)).map { LPIGuestLayout.firstLPI + $0 }.filter { Int($0 % UInt32(stressVCPUs)) == vcpu }
            checks.expect("LPIs taken by vCPU \(vcpu), each once", taken.sorted(), expected)
        }
        let commands = 3 * UInt64(stressVCPUs) + UInt64(stressDevices) * UInt64(1 + stressEvents)
        checks.expect("GITS_CREADR after \(commands) commands", outcome.trace.values(.observed, of: 0), [commands * 32])
        checks.expect("KVM_SIGNAL_MSI delivered, per vCPU", outcome.trace.observations, [UInt64](repeating: 32, count: stressVCPUs))
        return checks.verdict("\(total) LPIs from \(stressDevices) devices × \(stressEvents) events on \(stressVCPUs) vCPUs, each taken once by its collection's vCPU")
    }
}
