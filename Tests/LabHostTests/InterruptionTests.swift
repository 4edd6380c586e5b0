import Foundation
import LabTestSupport
import Testing

@testable import LabHost

/// A script run through `ScriptProcess`, with a pid it printed and the group it ran in.
private func shell(_ script: String, interruption: LabInterruption? = nil, environment: [String: String]? = nil) -> ScriptProcess {
    ScriptProcess(
        executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
        workingDirectory: URL(fileURLWithPath: "/"), environment: environment, interruption: interruption)
}

/// True while `pid` runs (a zombie has stopped running).
private func running(_ pid: pid_t) -> Bool {
    guard let stat = ProcessGroup.processStat(pid) else { return false }
    return stat.state != "Z"
}

/// True when `pid` stops running within a few seconds (a signal takes a moment to land).
private func stopsSoon(_ pid: pid_t) -> Bool {
    for _ in 0..<250 {
        if !running(pid) { return true }
        usleep(20_000)
    }
    return false
}

/// The numbers a script printed as `key=value` lines.
private struct Printed {
    var values: [String: Int32] = [:]
    mutating func note(_ line: String) {
        let parts = line.split(separator: "=", maxSplits: 1)
        if parts.count == 2, let value = Int32(parts[1]) { values[String(parts[0])] = value }
    }
}

@Suite("Interruption: nothing the lab started outlives Ctrl-C or SIGTERM")
struct InterruptionTests {
    @Test("SIGINT ends the script's whole process group, grandchildren included, and the run says it was interrupted")
    func interruptEndsGroup() throws {
        let interruption = LabInterruption()
        var printed = Printed()
        #expect(throws: LabError.interrupted(signal: SIGINT)) {
            _ = try shell("echo group=$$; sleep 300 & echo sleeper=$!; echo ready; wait", interruption: interruption).run { line in
                printed.note(line)
                if line == "ready" { interruption.interrupt(by: SIGINT) }
            }
        }
        let group = try #require(printed.values["group"])
        let sleeper = try #require(printed.values["sleeper"])
        #expect(ProcessGroup.processStat(sleeper) == nil || !running(sleeper))
        #expect(ProcessGroup.liveMembers(of: group).isEmpty)
        #expect(interruption.signal == SIGINT)
    }

    @Test("each script leads a process group of its own, so the terminal's Ctrl-C reaches only kvm-gic")
    func ownGroup() throws {
        var printed = Printed()
        let status = try shell(#"read -r s < /proc/$$/stat; s=${s##*) }; set -- $s; echo pid=$$; echo group=$3"#).run { printed.note($0) }
        #expect(status == 0)
        #expect(printed.values["group"] == printed.values["pid"])
        #expect(printed.values["group"] != getpgrp())
    }

    @Test("nothing starts once the run is interrupted")
    func noStartAfterInterruption() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("labhost-marker-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        let interruption = LabInterruption()
        interruption.interrupt(by: SIGTERM)
        #expect(throws: LabError.interrupted(signal: SIGTERM)) {
            _ = try shell("touch '\(marker.path)'", interruption: interruption).run { _ in }
        }
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    @Test("a group that ignores SIGTERM is killed when the grace period ends")
    func graceThenKill() throws {
        let interruption = LabInterruption(grace: .milliseconds(300))
        var printed = Printed()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: LabError.interrupted(signal: SIGINT)) {
            _ = try shell("trap '' TERM; echo group=$$; sleep 300 & echo ready; wait", interruption: interruption).run { line in
                printed.note(line)
                if line == "ready" { interruption.interrupt(by: SIGINT) }
            }
        }
        #expect(clock.now - start < .seconds(30))
        #expect(ProcessGroup.liveMembers(of: try #require(printed.values["group"])).isEmpty)
    }

    @Test("a second signal kills at once, and the first signal is the one reported")
    func secondSignalKills() throws {
        let interruption = LabInterruption(grace: .seconds(600))
        var printed = Printed()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: LabError.interrupted(signal: SIGINT)) {
            _ = try shell("trap '' TERM; echo group=$$; sleep 300 & echo ready; wait", interruption: interruption).run { line in
                printed.note(line)
                if line == "ready" {
                    interruption.interrupt(by: SIGINT)
                    interruption.interrupt(by: SIGTERM)
                }
            }
        }
        #expect(clock.now - start < .seconds(60))
        #expect(interruption.signal == SIGINT)
        #expect(ProcessGroup.liveMembers(of: try #require(printed.values["group"])).isEmpty)
    }

    @Test("what a script leaves running in its group when it exits is ended")
    func leftoversEnded() throws {
        var printed = Printed()
        let status = try shell("sleep 300 >/dev/null 2>&1 & echo sleeper=$!; exit 0").run { printed.note($0) }
        #expect(status == 0)
        let sleeper = try #require(printed.values["sleeper"])
        #expect(!running(sleeper))
    }

    @Test("a trapped signal reaches the handler, and children start with default signal actions")
    func childrenDoNotInheritIgnoring() throws {
        let received = Locked<Int32?>(nil)
        let trap = SignalTrap([SIGUSR2]) { received.set($0) }
        defer { trap.cancel() }
        var ignored = ""
        _ = try shell("grep '^SigIgn:' /proc/self/status").run { ignored = $0 }
        let mask = try #require(UInt64(ignored.split(separator: "\t").last ?? "", radix: 16))
        #expect(mask & (1 << UInt64(SIGUSR2 - 1)) == 0)
        #expect(mask & (1 << UInt64(SIGINT - 1)) == 0)

        kill(getpid(), SIGUSR2)  // once: the trap is live when SignalTrap.init returns
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while received.value == nil && clock.now < deadline { usleep(10_000) }
        #expect(received.value == SIGUSR2)
    }

    @Test("boot.sh signalled alone (not its group) still ends QEMU and exits 128 + the signal")
    func bootScriptTrap() throws {
        let fakeBin = FileManager.default.temporaryDirectory.appendingPathComponent("labhost-fakeqemu-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fakeBin) }
        try FileManager.default.createDirectory(at: fakeBin, withIntermediateDirectories: true)
        // A QEMU that prints its group (boot.sh's pid: boot.sh leads it) and a sleeping child's pid, then hangs.
        let qemu = fakeBin.appendingPathComponent("qemu-system-aarch64")
        try writeExecutable("""
            #!/bin/sh
            read -r s < /proc/$$/stat; s=${s##*) }; set -- $s; echo "group=$3"
            sleep 300 & echo "sleeper=$!"; echo "qemu=$$"; echo ready
            wait
            """, to: qemu)
        let image = fakeBin.appendingPathComponent("Image")
        try Data().write(to: image)

        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = fakeBin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        // Spawned directly, not through ScriptProcess, whose clean-up would hide what boot.sh left.
        let output = try ProcessGroup.makePipe()
        let boot = try ProcessGroup.spawn(
            labScripts.appendingPathComponent("boot.sh").path, [image.path, image.path, "60"],
            workingDirectory: fakeBin.path, environment: environment, stdout: output.write)
        close(output.write)
        var printed = Printed()
        let reader = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        var text = ""
        while !text.contains("ready\n") {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        text.split(separator: "\n").forEach { printed.note(String($0)) }
        #expect(printed.values["group"] == boot)
        kill(boot, SIGTERM)
        let status = ProcessGroup.wait(boot)
        #expect(status == 143)
        #expect(stopsSoon(try #require(printed.values["qemu"])))
        #expect(stopsSoon(try #require(printed.values["sleeper"])))
    }
}

/// `Scripts/lab` of this package.
let labScripts = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scripts/lab")

