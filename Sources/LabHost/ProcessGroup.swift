import Foundation

/// The lab's process system calls, in one place: start a script as the leader of a process
/// group of its own, wait for it, signal its group, and tell whether anyone in the group is
/// still alive.
///
/// A lab script and everything it starts (`timeout` and QEMU, swiftc and its frontends, apt)
/// share the script's group, whose id is the script's pid, so one `kill(-group, …)` reaches
/// them all. The terminal's Ctrl-C does not reach them: it goes to `kvm-gic` alone, which ends
/// the groups itself (`LabInterruption`) and so knows that nothing was left running.
enum ProcessGroup {
    /// Starts `executable` as the leader of a new process group (group id == pid), in
    /// `workingDirectory`, with stdin `/dev/null`, stdout `stdout`, our stderr and no other
    /// descriptor of ours (a script must not hold our files open, let alone for writing).
    ///
    /// Every signal starts at its default action and none is blocked: `kvm-gic` ignores SIGINT
    /// and SIGTERM for its Dispatch sources, and a child must not inherit that (bash cannot even
    /// trap a signal that was ignored when it started).
    ///
    /// - Parameter environment: the child's whole environment; nil passes ours on.
    /// - Throws: `LabError.launchFailed` when the program cannot be started.
    static func spawn(
        _ executable: String, _ arguments: [String], workingDirectory: String,
        environment: [String: String]?, stdout: Int32
    ) throws(LabError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        guard let addChdir, let addCloseFrom else {
            throw .launchFailed(
                command: executable, reason: "this C library lacks posix_spawn_file_actions_addchdir_np or _addclosefrom_np")
        }
        _ = addCloseFrom(&actions, 3)
        _ = addChdir(&actions, workingDirectory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
                posix_spawn(&pid, executable, &actions, &attributes, argvBuffer.baseAddress!, envpBuffer.baseAddress!)
            }
        }
        guard result == 0 else { throw .launchFailed(command: executable, reason: String(cString: strerror(result))) }
        return pid
    }

    /// Waits for the child `pid` and returns its exit status, or 128 + the signal that killed
    /// it (the shell's convention).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return 127 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Sends `signal` to every process of `group` (nothing happens when the group is gone).
    static func send(_ signal: Int32, to group: pid_t) {
        guard group > 1 else { return }
        _ = kill(-group, signal)
    }

    /// True while a process of `group` is alive. Zombies do not count: a killed grandchild
    /// whose parent died waits for pid 1 to reap it, but it runs nothing.
    static func isAlive(_ group: pid_t) -> Bool {
        if kill(-group, 0) == -1 && errno == ESRCH { return false }
        return !liveMembers(of: group).isEmpty
    }

    /// The pids in `group` that are not zombies, from `/proc/<pid>/stat`.
    static func liveMembers(of group: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = processStat(pid) else { return nil }
            return stat.group == group && stat.state != "Z" ? pid : nil
        }
    }

    /// State letter and process group of `pid`, nil when it is gone.
    static func processStat(_ pid: pid_t) -> (state: Character, group: pid_t)? {
        // "pid (comm) S ppid pgrp …": comm may hold spaces and parentheses, so parse after the last ')'.
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let group = pid_t(fields[2]) else { return nil }
        return (state, group)
    }

    /// Ends what is left of `group`: SIGTERM, then SIGKILL for whatever is still alive after
    /// `grace`. Returns once nobody in the group is alive (or two more seconds passed).
    static func end(_ group: pid_t, grace: Duration) {
        guard isAlive(group) else { return }
        send(SIGTERM, to: group)
        if waitUntilGone(group, within: grace) { return }
        send(SIGKILL, to: group)
        _ = waitUntilGone(group, within: .seconds(2))
    }

    /// Polls until `group` has no live process; false if it still has one after `limit`.
    static func waitUntilGone(_ group: pid_t, within limit: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while isAlive(group) {
            if clock.now >= deadline { return false }
            usleep(20_000)
        }
        return true
    }

    /// A pipe whose two ends are closed on exec (`pipe2(O_CLOEXEC)`), so no other child
    /// started meanwhile holds the write end open: `[read end, write end]`.
    static func makePipe() throws(LabError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard let pipe2 = pipe2, pipe2(&ends, O_CLOEXEC) == 0 else {
            throw .launchFailed(command: "pipe2", reason: String(cString: strerror(errno)))
        }
        return (ends[0], ends[1])
    }

    // glibc functions Swift does not import (declared only under `_GNU_SOURCE`), looked up once.

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+).
    private typealias AddChdir = @convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
    ) -> Int32
    private static let addChdir: AddChdir? = glibc("posix_spawn_file_actions_addchdir_np")

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+).
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = glibc("posix_spawn_file_actions_addclosefrom_np")

    /// `pipe2`.
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private static let pipe2: Pipe2? = glibc("pipe2")

    private static func glibc<Function>(_ name: String) -> Function? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }
}
