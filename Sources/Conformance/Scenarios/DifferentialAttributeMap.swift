import CKVM
import GICModel
import GICVocabulary
import KVM
import VGIC

/// `differential.v3.attribute_map`: which attrs exist and what GET returns, for every 4-aligned
/// offset of the distributor frame, both frames of one redistributor, and every Op0=3 CPU-sysreg
/// encoding, compared with the model's HAS and read paths.
///
/// This is where the model's ENXIO/ENOENT rules are checked: HAS says ENXIO for holes, bank words
/// beyond NR_IRQS and unknown sysregs, while GET reads 0 there (DIST/REDIST) or says ENOENT
/// (CPU_SYSREGS). Uses the device directly (`KVM.Device`), because the `VGIC` API only reaches
/// the registers of the vocabulary table.
enum DifferentialAttributeMap {
    static func run(_ context: inout ScenarioContext) -> Outcome {
        let kernel = DifferentialLab.kernel(context)
        return VGICInitLab.withVM(context, vcpus: DifferentialLab.vcpuCount) { vm, vcpus throws(VGICError) in
            let device = try makeDevice(vm)
            let start = ckvm_monotonic_ns()
            let ctlr = get(device, .cpuSysreg(vcpus[0].affinity, ICCRegister.iccCTLR.encoding))
            guard case .value(let ctlrValue) = ctlr else { return .fail("ICC_CTLR_EL1: \(ctlr)") }
            let model = GICv3Model(configuration: GICv3ModelConfiguration(
                interruptCount: DifferentialLab.interruptCount, vcpuAffinities: vcpus.map { $0.affinity }, kernel: kernel,
                host: HostCPUInterface(iccCTLR: ctlrValue)))
            var failures: [String] = []
            var checked = 0
            /// Records a disagreement (the first dozen are kept for the detail).
            func compare(_ what: String, _ key: UInt32, has: KernelErrno?, _ expectHas: KernelErrno?,
                         get: AccessOutcome, _ expectGet: AccessOutcome) {
                checked += 1
                let place = what + " " + hex(key)
                if has != expectHas, failures.count < 12 {
                    failures.append("HAS " + place + ": kernel " + String(describingErrno: has) + ", model " + String(describingErrno: expectHas))
                }
                if get != expectGet, failures.count < 12 {
                    failures.append("GET " + place + ": kernel \(get), model \(expectGet)")
                }
            }
            for offset in stride(from: UInt32(0), to: 0x1_0000, by: 4) {
                let attr = try attribute(distributorSelector, offset)
                compare(
                    "DIST", offset,
                    has: hasOutcome(device, .distributorRegister(attr)),
                    errnoOf { () throws(ModelRefusal) in try model.hasDistributorRegister(offset: offset) },
                    get: get(device, .distributorRegister(attr)),
                    .value(UInt64(model.readDistributor(offset: offset))))
            }
            let cpu1 = vcpus[1].affinity
            for offset in stride(from: UInt32(0), to: 0x2_0000, by: 4) {
                let attr = try attribute(cpu1, offset)
                compare(
                    "REDIST", offset,
                    has: hasOutcome(device, .redistributorRegister(attr)),
                    errnoOf { () throws(ModelRefusal) in try model.hasRedistributorRegister(cpu1, offset: offset) },
                    get: get(device, .redistributorRegister(attr)),
                    model.read32 { () throws(ModelRefusal) in try model.readRedistributor(cpu1, offset: offset) })
            }
            for low in 0..<UInt16(0x4000) {
                let encoding = SysRegEncoding(instr: 0xC000 | low)
                compare(
                    "SYSREG", UInt32(encoding.instr),
                    has: hasOutcome(device, .cpuSysreg(cpu1, encoding)),
                    errnoOf { () throws(ModelRefusal) in try model.hasSystemRegister(cpu1, encoding) },
                    get: get(device, .cpuSysreg(cpu1, encoding)),
                    readSystemRegister(model, cpu1, encoding))
            }
            // A selector that names no vCPU: EINVAL from HAS and GET alike (DIST_REGS ignores it).
            let nobody = Affinity(aff2: 0x5A, aff0: 1)
            let bad = try attribute(nobody, 0x1_0100)
            compare(
                "REDIST (no such vCPU)", 0x1_0100,
                has: hasOutcome(device, .redistributorRegister(bad)),
                errnoOf { () throws(ModelRefusal) in try model.hasRedistributorRegister(nobody, offset: 0x1_0100) },
                get: get(device, .redistributorRegister(bad)),
                model.read32 { () throws(ModelRefusal) in try model.readRedistributor(nobody, offset: 0x1_0100) })
            context.record("attrs", Int64(checked), unit: "attrs")
            context.record("map_ms", DifferentialLab.milliseconds(since: start), unit: "ms")
            if failures.isEmpty { return .pass("\(checked) attrs: HAS and GET agree with the model (\(kernel))") }
            var text = ""
            for (i, failure) in failures.enumerated() { text += (i == 0 ? "" : "; ") + failure }
            return .fail(text)
        }
    }

    /// DIST_REGS ignores the selector; the map sends vCPU 0's.
    static let distributorSelector = Affinity(aff0: 0)

    /// A vgic-v3 device with 256 interrupts, the lab layout, initialised.
    static func makeDevice(_ vm: borrowing VirtualMachine) throws(VGICError) -> Device {
        do throws(KVMError) {
            let device = try vm.createDevice(.vgicV3)
            try device.set(.nrIRQs, to: DifferentialLab.interruptCount)
            try device.set(.address(.v3Distributor), to: 0x0800_0000)
            try device.set(.address(.v3Redistributor), to: 0x080A_0000)
            try device.perform(.control(.initialize))
            return device
        } catch {
            throw .kernel(error)
        }
    }

    static func attribute(_ affinity: Affinity, _ offset: UInt32) throws(VGICError) -> RegisterAttr {
        do throws(GICValueError) {
            return try RegisterAttr(affinity: affinity, offset: offset)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }

    /// HAS as an errno: nil when the attr exists.
    static func hasOutcome<Value>(_ device: borrowing Device, _ attribute: DeviceAttribute<Value>) -> KernelErrno? {
        do throws(KVMError) {
            return try device.has(attribute) ? nil : .ENXIO
        } catch {
            return error.errno.map { KernelErrno(rawValue: $0.rawValue) } ?? KernelErrno(rawValue: -1)
        }
    }

    /// GET as an outcome.
    static func get(_ device: borrowing Device, _ attribute: DeviceAttribute<UInt32>) -> AccessOutcome {
        do throws(KVMError) {
            return .value(UInt64(try device.get(attribute)))
        } catch {
            return .refused(error.errno.map { KernelErrno(rawValue: $0.rawValue) } ?? KernelErrno(rawValue: -1))
        }
    }

    static func get(_ device: borrowing Device, _ attribute: DeviceAttribute<UInt64>) -> AccessOutcome {
        do throws(KVMError) {
            return .value(try device.get(attribute))
        } catch {
            return .refused(error.errno.map { KernelErrno(rawValue: $0.rawValue) } ?? KernelErrno(rawValue: -1))
        }
    }

    static func readSystemRegister(_ model: GICv3Model, _ vcpu: Affinity, _ encoding: SysRegEncoding) -> AccessOutcome {
        do throws(ModelRefusal) {
            return .value(try model.readSystemRegister(vcpu, encoding))
        } catch {
            return .refused(error.errno)
        }
    }

    static func errnoOf(_ body: () throws(ModelRefusal) -> Void) -> KernelErrno? {
        do throws(ModelRefusal) {
            try body()
            return nil
        } catch {
            return error.errno
        }
    }
}

extension GICv3Model {
    /// A 32-bit read as an outcome.
    func read32(_ body: () throws(ModelRefusal) -> UInt32) -> AccessOutcome {
        do throws(ModelRefusal) {
            return .value(UInt64(try body()))
        } catch {
            return .refused(error.errno)
        }
    }
}

extension String {
    /// "nil" or the errno's name.
    init(describingErrno errno: KernelErrno?) {
        self = errno?.description ?? "success"
    }
}
