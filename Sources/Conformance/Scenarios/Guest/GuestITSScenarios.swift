import GICModel
import GICVocabulary
import GuestHarness

/// The guest's side of the ITS (`its.guest.*`, Conformance.docc/ITSLab.md): LPIs brought up as a
/// driver does (property and pending tables, PROPBASER/PENDBASER, EnableLPIs, the ITS's tables
/// and command queue, then MAPC, MAPD, MAPTI, MAPI, INV, INVALL, SYNC, and later MOVI, DISCARD,
/// CLEAR, MOVALL through the queue), and the LPIs a device raises with `KVM_SIGNAL_MSI` or an
/// irqfd on an MSI route taken by the guest on two vCPUs.
///
/// The commands and tables are written by the host (the harness's guest has no stores to RAM),
/// through the same queue a guest's driver fills; the ITS runs them on the GITS_CWRITER write
/// either way. The model predicts each trace (`GuestModelMachine+ITS.swift`, `ITSModel`).
extension GuestCatalog {
    static var its: [GuestCase] {
        [
            GuestCase("its.guest.msi_two_vcpus", build: { () throws(GuestProgramError) in try GuestITSScenarios.twoVCPUs() }) {
                outcome, _ in GuestITSScenarios.checkTwoVCPUs(outcome)
            },
            GuestCase("its.guest.irqfd_msi_route", build: { () throws(GuestProgramError) in try GuestITSScenarios.msiRoutes() }) {
                outcome, _ in GuestITSScenarios.checkMSIRoutes(outcome)
            },
            GuestCase("its.guest.remap", build: { () throws(GuestProgramError) in try GuestITSScenarios.remap() }) {
                outcome, _ in GuestITSScenarios.checkRemap(outcome)
            },
            GuestCase("its.guest.lpi_stress", build: { () throws(GuestProgramError) in try GuestITSScenarios.stress() }) {
                outcome, _ in GuestITSScenarios.checkStress(outcome)
            },
        ]
    }
}

enum GuestITSScenarios {
    static let lpi: UInt32 = ITSTableABI.firstLPI

    /// Two collections on the two vCPUs; device 1 with events 0 and 1 (LPIs 8192, 8193); device 3
    /// with 14 EventID bits and its event 8194 mapped to LPI 8194 (MAPI: the EventID is the LPI);
    /// device 2 with event 3 (LPI 8200); then the invalidations and the SYNCs a driver issues.
    static let mappings: [ITSCommand] = [
        .mapc(collection: 0, target: 0, valid: true), .mapc(collection: 1, target: 1, valid: true),
        .mapd(device: 1, itt: GuestITS.itt(1), eventIDBits: 5, valid: true),
        .mapd(device: 2, itt: GuestITS.itt(2), eventIDBits: 5, valid: true),
        .mapti(device: 1, event: 0, lpi: lpi, collection: 0), .mapti(device: 1, event: 1, lpi: lpi + 1, collection: 1),
        .mapd(device: 3, itt: ITSLabLayout.tables + 0x8_0000, eventIDBits: 14, valid: true),
        .mapi(device: 3, event: lpi + 2, collection: 0), .mapti(device: 2, event: 3, lpi: lpi + 8, collection: 1),
        .inv(device: 1, event: 0), .invall(collection: 1), .sync(target: 0), .sync(target: 1),
    ]

    /// The default IRQ handler: acknowledge (logged), EOI.
    static func handler() throws(GuestProgramError) -> GuestProgram {
        var handler = GuestScript()
        handler.acknowledge()
        handler.endOfInterrupt()
        handler.append(.end)
        return try handler.program()
    }

    /// A two-vCPU scenario: vCPU 0 runs `first` then switches to vCPU 1, which takes its
    /// interrupts and switches back; both end with nothing pending.
    static func scenario(
        calls: HostCalls, first: GuestScript, commands: [ITSCommand] = mappings, routes: [GuestMSIRoute] = [], windows: Int = 1
    ) throws(GuestProgramError) -> GuestScenario {
        var calls = calls
        let toSecond = calls.call(.switchTo(1))
        let toFirst = calls.call(.switchTo(0))
        var main = first
        for _ in 0..<windows { main.takeInterrupts() }
        main.host(toSecond)
        main.observeNothingPending()
        main.finish()
        var second = GuestScript()
        for _ in 0..<windows { second.takeInterrupts() }
        second.observeNothingPending()
        second.host(toFirst)
        second.finish()
        var scenario = GuestScenario(vcpuCount: 2, programs: [
            GuestPrograms(main: try main.program(), irq: try handler()), GuestPrograms(main: try second.program(), irq: try handler()),
        ])
        scenario.hasITS = true
        scenario.msiRoutes = routes
        scenario.setup = GuestSetup.standard(vcpus: 2) + GuestITS.bringUp(vcpus: 2, commands: commands)
        scenario.calls = calls.actions
        return scenario
    }

    /// `KVM_SIGNAL_MSI` of the four mapped events and one of a device never mapped, with vCPU 0's
    /// interrupts masked; vCPU 0 then takes 8192 and 8194, vCPU 1 8193 and 8200.
    static func twoVCPUs() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var first = GuestScript()
        for (device, event) in [(UInt32(1), UInt32(0)), (1, 1), (3, lpi + 2), (2, 3), (4, 0)] {
            first.host(calls.call(.signalMSI(device: device, event: event)))
        }
        return try scenario(calls: calls, first: first)
    }

    static func checkTwoVCPUs(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("KVM_SIGNAL_MSI answers", outcome.trace.observations, [1, 1, 1, 1, 0])
        checks.expect("vCPU 0 acknowledged", outcome.trace.acknowledged(by: 0).sorted(), [lpi, lpi + 2])
        checks.expect("vCPU 1 acknowledged", outcome.trace.acknowledged(by: 1).sorted(), [lpi + 1, lpi + 8])
        checks.expect("IAR1 afterwards", outcome.trace.values(.observed, of: 0) + outcome.trace.values(.observed, of: 1), [1023, 1023])
        return checks.verdict("four MSIs, four LPIs on their collections' vCPUs, an unmapped device blocked")
    }

    /// Device 1 event 1 and device 2 event 3 wired through irqfds on MSI routes (GSIs 300, 301).
    /// An irqfd's MSI is injected at once only when the ITS's translation cache holds it
    /// (`kvm_arch_set_irq_inatomic` → `vgic_its_inject_cached_translation`); otherwise KVM defers
    /// it to a workqueue (`irqfd_inject`), and when it lands depends on the host's scheduler. So,
    /// as a device's first interrupt would, one `KVM_SIGNAL_MSI` of each fills the cache (vCPU 1
    /// takes both LPIs), then each route is signalled twice before vCPU 1 looks again: each LPI
    /// is taken once more.
    static func msiRoutes() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        let toSecond = calls.call(.switchTo(1))
        let toFirst = calls.call(.switchTo(0))
        var first = GuestScript()
        first.host(calls.call(.signalMSI(device: 1, event: 1)))
        first.host(calls.call(.signalMSI(device: 2, event: 3)))
        first.host(toSecond)
        for route in [0, 1, 0, 1] { first.host(calls.call(.signalMSIRoute(route))) }
        first.takeInterrupts()
        first.host(toSecond)
        first.observeNothingPending()
        first.finish()
        var second = GuestScript()
        second.takeInterrupts()
        second.host(toFirst)
        second.takeInterrupts()
        second.observeNothingPending()
        second.host(toFirst)
        second.finish()
        var scenario = GuestScenario(vcpuCount: 2, programs: [
            GuestPrograms(main: try first.program(), irq: try handler()), GuestPrograms(main: try second.program(), irq: try handler()),
        ])
        scenario.hasITS = true
        scenario.msiRoutes = [GuestMSIRoute(device: 1, event: 1, gsi: 300), GuestMSIRoute(device: 2, event: 3, gsi: 301)]
        scenario.setup = GuestSetup.standard(vcpus: 2) + GuestITS.bringUp(vcpus: 2, commands: mappings)
        scenario.calls = calls.actions
        return scenario
    }

    static func checkMSIRoutes(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("KVM_SIGNAL_MSI answers", outcome.trace.observations, [1, 1])
        checks.expect("vCPU 0 acknowledged", outcome.trace.acknowledged(by: 0), [])
        checks.expect("vCPU 1 acknowledged", outcome.trace.acknowledged(by: 1).sorted(), [lpi + 1, lpi + 1, lpi + 8, lpi + 8])
        return checks.verdict("two MSI routes signalled twice each with cached translations: each LPI taken once per look")
    }

    /// After the mappings: MOVI moves device 1 event 0 to collection 1, DISCARD drops device 1
    /// event 1, an MSI makes 8200 pending and CLEAR clears it again, MOVALL moves vCPU 0's LPIs
    /// (8194) to vCPU 1. Then MSIs of every mapping: 8192 and 8194 land on vCPU 1, device 1 event
    /// 1 finds no translation, 8200 is raised anew.
    static func remap() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var first = GuestScript()
        first.host(calls.call(.all([
            .itsCommand(.movi(device: 1, event: 0, collection: 1)), .itsCommand(.discard(device: 1, event: 1)),
        ])))
        first.host(calls.call(.signalMSI(device: 2, event: 3)))
        first.host(calls.call(.all([
            .itsCommand(.clear(device: 2, event: 3)), .itsCommand(.movall(from: 0, to: 1)), .itsCommand(.sync(target: 1)),
        ])))
        first.takeInterrupts()
        for (device, event) in [(UInt32(1), UInt32(0)), (1, 1), (3, lpi + 2), (2, 3)] {
            first.host(calls.call(.signalMSI(device: device, event: event)))
        }
        return try scenario(calls: calls, first: first)
    }

    static func checkRemap(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("KVM_SIGNAL_MSI answers", outcome.trace.observations, [1, 1, 0, 1, 1])
        checks.expect("vCPU 0 acknowledged", outcome.trace.acknowledged(by: 0), [])
        checks.expect("vCPU 1 acknowledged", outcome.trace.acknowledged(by: 1).sorted(), [lpi, lpi + 2, lpi + 8])
        return checks.verdict("MOVI, DISCARD, CLEAR and MOVALL as the ITS applies them")
    }

    static let stressDevices: UInt32 = 8
    static let stressEvents: UInt32 = 8

    /// `vgic_lpi_stress`'s shape, bounded: 8 devices × 8 events, each its own LPI on the
    /// collection of vCPU (device + event) mod 2, all signalled while the guest looks away; each
    /// vCPU takes its 32 LPIs exactly once.
    static func stress() throws(GuestProgramError) -> GuestScenario {
        var commands: [ITSCommand] = [.mapc(collection: 0, target: 0, valid: true), .mapc(collection: 1, target: 1, valid: true)]
        for device in 0..<stressDevices {
            commands.append(.mapd(device: device, itt: GuestITS.itt(device), eventIDBits: 3, valid: true))
            for event in 0..<stressEvents {
                commands.append(.mapti(device: device, event: event, lpi: lpi + device * stressEvents + event, collection: UInt16((device + event) % 2)))
            }
        }
        commands.append(.sync(target: 0))
        var calls = HostCalls()
        var first = GuestScript()
        first.host(calls.call(.signalMSIs(devices: stressDevices, events: stressEvents)))
        // Several windows: the list registers hold a few LPIs at a time and refill on exits.
        return try scenario(calls: calls, first: first, commands: commands, windows: 8)
    }

    static func expectedStress(vcpu: UInt32) -> [UInt32] {
        var lpis: [UInt32] = []
        for device in 0..<stressDevices {
            for event in 0..<stressEvents where (device + event) % 2 == vcpu { lpis.append(lpi + device * stressEvents + event) }
        }
        return lpis
    }

    static func checkStress(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("MSIs delivered", outcome.trace.observations, [UInt64(stressDevices * stressEvents)])
        checks.expect("vCPU 0: each of its LPIs once", outcome.trace.acknowledged(by: 0).sorted(), expectedStress(vcpu: 0))
        checks.expect("vCPU 1: each of its LPIs once", outcome.trace.acknowledged(by: 1).sorted(), expectedStress(vcpu: 1))
        return checks.verdict("\(stressDevices) devices x \(stressEvents) events, every LPI exactly once")
    }
}
