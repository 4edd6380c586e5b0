import CKVM
import DeviceTree
import GICDescription
import GICSnapshot
import GICVocabulary
import KVM
import VGIC

/// A running Linux guest: the VM, its RAM, the vgic, the serial console and one thread per vCPU
/// (MinimalVMM.docc/LinuxBoot.md, MinimalVMM.docc/VCPUThreads.md).
///
/// `~Copyable`: it owns the VM and the memory the guest runs in. Dropping it stops the vCPU
/// threads first, so no thread runs a vCPU whose VM is gone.
public struct LinuxMachine: ~Copyable {
    deinit {
        threads.stop()
        watcher?.stop()
    }

    public let configuration: LinuxMachineConfiguration
    var vm: VirtualMachine
    var memory: GuestMemory
    var gic: VGIC
    /// The serial console the guest's PL011 is.
    public let console: SerialConsole
    let threads: VCPUThreads
    /// Hears the guest acknowledge the UART's interrupt on an irqfd line (nil for `KVM_IRQ_LINE`).
    let watcher: ResampleWatcher?
    /// The vCPUs as the kernel reported them (id and affinity), in creation order.
    public let identities: [VCPUIdentity]
    /// Where kernel, initramfs and devicetree were loaded.
    public let layout: BootLayout
    /// When the vCPUs were first released (`ckvm_monotonic_ns`).
    public let startedAt: Int64
    /// What the guest wrote to its console so far, taken apart.
    public private(set) var stream = GuestConsoleStream()
    /// How many times the machine moved to a fresh VM.
    public internal(set) var migrations = 0

    init(
        configuration: LinuxMachineConfiguration, vm: consuming VirtualMachine, memory: consuming GuestMemory, gic: consuming VGIC,
        console: SerialConsole, threads: VCPUThreads, watcher: ResampleWatcher?, identities: [VCPUIdentity], layout: BootLayout, startedAt: Int64
    ) {
        self.configuration = configuration
        self.vm = vm
        self.memory = memory
        self.gic = gic
        self.console = console
        self.threads = threads
        self.watcher = watcher
        self.identities = identities
        self.layout = layout
        self.startedAt = startedAt
    }

    /// Builds the machine on `kvm` and boots `kernelImage` (an uncompressed arm64 `Image`) with
    /// `initramfs`: RAM, vCPUs (vCPU 0 at the kernel's entry with the devicetree's address in
    /// X0, the others powered off for PSCI CPU_ON), the vgic, the devicetree, the console, and
    /// the vCPU threads, released.
    public static func boot(
        on kvm: borrowing KVM, configuration: LinuxMachineConfiguration, kernelImage: String, initramfs: String
    ) throws(MachineError) -> LinuxMachine {
        let kernelSize = try fileSize(kernelImage)
        let initrdSize = try fileSize(initramfs)
        var headerBytes = [UInt8](repeating: 0, count: ArmImageHeader.size)
        let headerRead = kernelImage.withCString { path in
            headerBytes.withUnsafeMutableBytes { ckvm_read_file_prefix(path, $0.baseAddress, $0.count) }
        }
        if headerRead < 0 { throw .boot(.file(path: kernelImage, errno: Int32(-headerRead))) }
        let parsed: Result<ArmImageHeader, BootError> = headerBytes.withUnsafeBytes { bytes in
            do throws(BootError) {
                return .success(try ArmImageHeader(UnsafeRawBufferPointer(rebasing: bytes[0..<Int(headerRead)])))
            } catch {
                return .failure(error)
            }
        }
        let header: ArmImageHeader
        switch parsed {
        case .success(let value): header = value
        case .failure(let error): throw .boot(error)
        }

        let vm = try step("KVM_CREATE_VM") { () throws(KVMError) in try kvm.createVM() }
        let memory = try step("guest RAM") { () throws(KVMError) in
            let memory = try vm.allocateGuestMemory(bytes: Int(configuration.ram.size))
            try vm.mapMemory(memory, slot: 0, guestAddress: configuration.ram.address)
            return memory
        }
        var vcpus = VCPUSet()
        for index in 0..<configuration.vcpuCount {
            let vcpu = try step("vCPU \(index)") { () throws(KVMError) in
                var target = try vm.preferredTarget()
                target.features.insert(.psci02)
                if index > 0 { target.features.insert(.powerOff) }
                let vcpu = try vm.createVCPU(id: UInt32(index))
                try vcpu.initialize(target)
                return vcpu
            }
            do throws(VCPUSetError) { try vcpus.insert(vcpu) } catch { throw .vcpuSet(error) }
        }
        let identities = vcpus.identities

        // The blob's size does not depend on where the initramfs lies (its cells are fixed), so
        // size it once with a placeholder, plan, and build it again with the real place.
        let sizing: [UInt8]
        do throws(GICDescriptionError) {
            sizing = try flatten(configuration.deviceTree(vcpus: identities, initrd: AddressRange(address: 0, size: 0)))
        } catch {
            throw .deviceTree(error)
        }
        let layout: BootLayout
        do throws(BootError) {
            layout = try BootLayout.plan(
                ram: configuration.ram, header: header, fileSize: Int(kernelSize), initrdSize: Int(initrdSize),
                deviceTreeSize: sizing.count)
        } catch {
            throw .boot(error)
        }
        let blob: [UInt8]
        do throws(GICDescriptionError) {
            blob = try flatten(configuration.deviceTree(vcpus: identities, initrd: layout.initrd))
        } catch {
            throw .deviceTree(error)
        }
        try load(kernelImage, at: layout.kernel, in: memory, ram: configuration.ram)
        try load(initramfs, at: layout.initrd, in: memory, ram: configuration.ram)
        let blobOffset = Int(layout.deviceTree.address - configuration.ram.address)
        memory.withUnsafeMutableBytes { bytes in
            for (index, byte) in blob.enumerated() { bytes[blobOffset + index] = byte }
        }

        // The boot CPU: PC at the image, X0 the devicetree, X1–X3 zero (booting.rst).
        _ = try vcpus.withVCPU(id: 0) { (vcpu) throws(MachineError) in
            try step("vCPU 0 entry") { () throws(KVMError) in
                try vcpu.set(.pc, to: layout.kernel.address)
                for n: UInt8 in 0...3 {
                    if let register = OneRegister.x(n) { try vcpu.set(register, to: n == 0 ? layout.deviceTree.address : 0) }
                }
            }
        }

        var gic: VGIC
        do throws(VGICError) {
            gic = try VGIC.create(on: vm, configuration: configuration.gic, vcpus: identities)
        } catch {
            throw .gic(step: "vgic-v3", error)
        }
        let console = SerialConsole()
        let line = try uartLine(configuration, vm: vm, gic: &gic)
        console.attach(line, level: false)
        var watcher: ResampleWatcher?
        if configuration.uartWiring == .irqfd {
            let started = ResampleWatcher(console: console)
            try step("resample watcher") { () throws(KVMError) in try started.start() }
            watcher = started
        }
        let threads = VCPUThreads(count: configuration.vcpuCount, console: console, uartWindow: configuration.uartWindow)
        try step("vCPU threads") { () throws(KVMError) in try threads.start() }
        for index in 0..<configuration.vcpuCount {
            guard let vcpu = vcpus.remove(id: UInt32(index)) else { throw .other("vCPU \(index) went missing") }
            threads.hand(vcpu, to: index)
        }
        let started = ckvm_monotonic_ns()
        threads.resume()
        return LinuxMachine(
            configuration: configuration, vm: vm, memory: memory, gic: gic, console: console, threads: threads,
            watcher: watcher, identities: identities, layout: layout, startedAt: started)
    }

    /// Sends `bytes` to the guest's serial port.
    public func send(_ bytes: [UInt8]) { console.send(bytes) }

    /// Reads what the guest wrote since the last call into `stream`.
    public mutating func pollConsole() {
        let fresh = console.transmitted(from: stream.consumed)
        if !fresh.isEmpty { stream.feed(fresh) }
    }

    /// Waits until `condition` holds for the console stream, polling every 2 ms; false when
    /// `timeoutMilliseconds` passes first or every vCPU thread has ended.
    public mutating func wait(
        timeoutMilliseconds: Int64, until condition: (borrowing GuestConsoleStream) -> Bool
    ) -> Bool {
        let deadline = ckvm_monotonic_ns() + timeoutMilliseconds * 1_000_000
        while true {
            pollConsole()
            if condition(stream) { return true }
            if threads.endedCount == threads.workers.count || ckvm_monotonic_ns() > deadline {
                pollConsole()
                return condition(stream)
            }
            ckvm_sleep_us(2000)
        }
    }

    /// Stops every vCPU outside `KVM_RUN` with its last exit completed. Returns how long it took (ns).
    public mutating func pause(timeoutMilliseconds: Int64 = 5000) throws(MachineError) -> Int64 {
        let start = ckvm_monotonic_ns()
        guard threads.pause(timeoutMilliseconds: timeoutMilliseconds) else { throw .pauseTimedOut(milliseconds: timeoutMilliseconds) }
        return ckvm_monotonic_ns() - start
    }

    /// Makes the vCPU that next reads received data from the UART — one inside the UART's
    /// interrupt handler — stop itself right after that read; `migrate` (or `pause`) then stops
    /// the others, and the saved state has the UART's interrupt active in the guest
    /// (MinimalVMM.docc/VCPUThreads.md, "A pause at a chosen moment").
    public func armPauseOnReceiveRead() { console.armPauseOnReceiveRead() }

    /// Whether the armed receive read has happened (that vCPU has stopped itself).
    public var receiveReadHappened: Bool { console.receiveReadHappened }

    /// Lets the vCPUs run again.
    public func resume() { threads.resume() }

    /// Stops every vCPU, lends them (in a `VCPUSet`) and the vgic to `body`, and resumes: for
    /// looking at a running guest's registers and GIC between two instructions of it.
    public mutating func whilePaused<Result>(
        timeoutMilliseconds: Int64 = 5000, _ body: (inout VCPUSet, borrowing VGIC) -> Result
    ) throws(MachineError) -> Result {
        _ = try pause(timeoutMilliseconds: timeoutMilliseconds)
        var vcpus = VCPUSet()
        for index in 0..<threads.workers.count {
            guard let vcpu = threads.takeVCPU(index) else { continue }
            do throws(VCPUSetError) { try vcpus.insert(vcpu) } catch {
                threads.resume()
                throw .vcpuSet(error)
            }
        }
        let result = body(&vcpus, gic)
        for index in 0..<threads.workers.count {
            guard let vcpu = vcpus.remove(id: UInt32(index)) else { continue }
            threads.hand(vcpu, to: index)
        }
        threads.resume()
        return result
    }

    /// Ends the vCPU threads (the guest stops where it is) and the resample watcher.
    public func stop() {
        threads.stop()
        watcher?.stop()
    }

    /// The UART's interrupt line on `vm` and its vgic `gic` (initialised), wired as the
    /// configuration says.
    static func uartLine(
        _ configuration: LinuxMachineConfiguration, vm: borrowing VirtualMachine, gic: inout VGIC
    ) throws(MachineError) -> SPILevelLine {
        switch configuration.uartWiring {
        case .irqfd:
            do throws(VGICError) {
                return try SPILevelLine(gic: &gic, spi: configuration.uartSPI)
            } catch {
                throw .gic(step: "UART irqfd", error)
            }
        case .irqLine:
            return try step("UART line") { () throws(KVMError) in try SPILevelLine(vm: vm, spi: configuration.uartSPI) }
        }
    }

    /// What each vCPU thread counted (read it while paused or after `stop`).
    public var vcpuStatistics: [VCPUStatistics] {
        threads.workers.map { worker in
            VCPUStatistics(
                runs: worker.runs, mmioExits: worker.mmioExits, uartAccesses: worker.uartAccesses,
                interruptedRuns: worker.interruptedRuns, unclaimedAccesses: worker.unclaimedAccesses,
                firstUnclaimedAddress: worker.firstUnclaimedAddress, systemEvent: worker.systemEvent, failure: worker.failure)
        }
    }

    /// How many vCPU threads have ended (a guest power-off ends them all).
    public var endedThreads: Int { threads.endedCount }

    /// The size of the file at `path`.
    static func fileSize(_ path: String) throws(MachineError) -> Int64 {
        let size = path.withCString { ckvm_file_size($0) }
        if size < 0 { throw .boot(.file(path: path, errno: Int32(-size))) }
        return size
    }

    /// Reads the file at `path` into `range` of guest RAM.
    static func load(_ path: String, at range: AddressRange, in memory: borrowing GuestMemory, ram: AddressRange) throws(MachineError) {
        let offset = Int(range.address - ram.address)
        let result = memory.withUnsafeMutableBytes { bytes in
            path.withCString { ckvm_read_file($0, bytes.baseAddress! + offset, bytes.count - offset) }
        }
        if result < 0 { throw .boot(.file(path: path, errno: Int32(-result))) }
    }

    static func flatten(_ tree: DeviceTree) throws(GICDescriptionError) -> [UInt8] {
        do throws(DeviceTreeError) {
            return try tree.flattened()
        } catch {
            throw .deviceTree(error)
        }
    }

    /// `body`, its `KVMError` wrapped with the step's name.
    static func step<Result: ~Copyable>(_ name: String, _ body: () throws(KVMError) -> Result) throws(MachineError) -> Result {
        do throws(KVMError) {
            return try body()
        } catch {
            throw .kernel(step: name, error)
        }
    }
}

/// What one vCPU thread counted.
public struct VCPUStatistics: Hashable, Sendable {
    public var runs: Int
    public var mmioExits: Int
    public var uartAccesses: Int
    public var interruptedRuns: Int
    public var unclaimedAccesses: Int
    public var firstUnclaimedAddress: UInt64?
    public var systemEvent: UInt32?
    public var failure: String?
}
