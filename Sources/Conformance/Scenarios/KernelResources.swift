import CKVM
import KVM

/// The open file descriptors and memory mappings the kernel under test holds for this process:
/// what `reliability.create_destroy_cycles` compares before and after a thousand VM lifetimes.
///
/// On the live kernel they are the process's own, from /proc/self/fd and /proc/self/maps: every
/// KVM object is an fd and every `kvm_run` or guest RAM a mapping. A simulated kernel hands out
/// fds and mappings of its own, which /proc never sees (and a test process's /proc moves with
/// whatever other tests run beside it), so there they are the simulator's: fds not yet closed
/// and mappings not yet unmapped.
struct KernelResources: Equatable {
    var openFDs: Int
    var mappings: Int

    static func current(_ kernel: KernelInterface) throws(ScenarioFailure) -> KernelResources {
        switch kernel {
        case .live:
            let fds = ckvm_open_fd_count()
            if fds < 0 { throw ScenarioFailure.fail("reading /proc/self/fd: \(Errno(rawValue: -fds))") }
            let maps = ckvm_mapping_count()
            if maps < 0 { throw ScenarioFailure.fail("reading /proc/self/maps: \(Errno(rawValue: -maps))") }
            return KernelResources(openFDs: Int(fds), mappings: Int(maps))
        case .simulated(let simulator):
            return KernelResources(openFDs: simulator.objects.count, mappings: simulator.liveMappings)
        }
    }
}
