import AssaySandbox
import AssaySupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile programs against the sandbox: each must end without passing, for a stated reason, and leave the
/// sandbox able to pass the next program. Needs python3 and the kernel's namespaces; under CI (`CI=true`) their
/// absence fails the suite instead of skipping it.
@Suite(.enabled(if: SandboxFixture.isAvailable, "needs python3 and user, mount, network and PID namespaces"))
struct CodeSandboxTests {
    @Test func humanEvalProgramPasses() throws {
        let result = try CodeSandbox().run(program: SandboxFixture.passingProgram)
        #expect(result.verdict == .passed)
        #expect(result.reason == "exited with status 0")
        #expect(result.exitStatus == 0)
        #expect(result.signal == nil)
        #expect(result.cpuSeconds != nil)
        #expect(result.isolation == .namespaces)
    }

    @Test func failingAssertionFailsWithTheAssertionErrorInStandardError() throws {
        let sandbox = try CodeSandbox()
        let program = SandboxFixture.passingProgram.replacingOccurrences(of: "return a + b", with: "return a - b")
        let result = try sandbox.run(program: program)
        #expect(result.verdict == .failed)
        #expect(result.exitStatus == 1)
        #expect(result.stderrTail.contains("AssertionError"))
        #expect(result.reason == "exited with status 1: AssertionError")
        try SandboxFixture.expectStillPasses(sandbox)
    }

    @Test func programIsPIDOneOfItsNamespaceAndWritesItsOwnDirectory() throws {
        let program = """
            import os
            assert os.getpid() == 1
            assert os.getuid() != 0
            with open("scratch.txt", "w") as scratch:
                scratch.write("kept")
            assert open("scratch.txt").read() == "kept"
            """
        let result = try CodeSandbox().run(program: program)
        #expect(result.verdict == .passed, "\(result.reason)")
    }

    @Test func infiniteLoopTimesOutAtTheWallClockLimit() throws {
        let sandbox = try CodeSandbox(limits: SandboxLimits(wallSeconds: 1.5, cpuSeconds: 60))
        let result = try sandbox.run(program: "while True: pass\n")
        #expect(result.verdict == .timedOut)
        #expect(result.reason == "stopped at the 1.5 s wall-clock limit")
        #expect(result.wallSeconds >= 1.5 && result.wallSeconds < 6)
        try SandboxFixture.expectStillPasses(sandbox)
    }

    /// Output arriving all the time, far below the output limit, must not hold off the wall clock.
    @Test func tricklingOutputStillTimesOut() throws {
        let sandbox = try CodeSandbox(limits: SandboxLimits(wallSeconds: 1.5, cpuSeconds: 60))
        let result = try sandbox.run(program: "import time\nwhile True:\n    print('.', end='', flush=True)\n    time.sleep(0.001)\n")
        #expect(result.verdict == .timedOut)
        #expect(result.stdoutBytes > 0)
        #expect(result.wallSeconds < 6)
        try SandboxFixture.expectStillPasses(sandbox)
    }

    @Test func busyLoopTimesOutAtTheCPULimit() throws {
        let sandbox = try CodeSandbox(limits: SandboxLimits(wallSeconds: 60, cpuSeconds: 1))
        let result = try sandbox.run(program: "while True: pass\n")
        #expect(result.verdict == .timedOut)
        #expect(result.reason == "stopped at the 1 s CPU-time limit")
        #expect(result.wallSeconds < 30)
        try SandboxFixture.expectStillPasses(sandbox)
    }

    @Test func forkBombIsStoppedAndLeavesNoProcess() throws {
        let sandbox = try CodeSandbox()
        let result = try sandbox.run(program: "import os\nprint(os.getcwd(), flush=True)\nwhile True: os.fork()\n")
        #expect(result.verdict == .failed)
        #expect(result.stderrTail.contains("BlockingIOError"))
        try SandboxFixture.expectNoProcess(workingIn: result.stdoutTail)
        try SandboxFixture.expectStillPasses(sandbox)
    }

    /// Every process that cannot fork any more waits: only the wall clock ends it, and everything dies with PID 1.
    @Test func waitingForkBombIsKilledWithAllItStarted() throws {
        let sandbox = try CodeSandbox(limits: SandboxLimits(wallSeconds: 2))
        let program = """
            import os, time
            print(os.getcwd(), flush=True)
            while True:
                try:
                    os.fork()
                except OSError:
                    time.sleep(600)
            """
        let result = try sandbox.run(program: program)
        #expect(result.verdict == .timedOut)
        try SandboxFixture.expectNoProcess(workingIn: result.stdoutTail)
        try SandboxFixture.expectStillPasses(sandbox)
    }

    @Test func tenGigabyteAllocationRaisesMemoryError() throws {
        let sandbox = try CodeSandbox()
        let result = try sandbox.run(program: "b = bytearray(10 * 1024**3)\n")
        #expect(result.verdict == .failed)
        #expect(result.reason == "exited with status 1: MemoryError")
        try SandboxFixture.expectStillPasses(sandbox)
    }

    /// A real fault: PID 1 ignores the signals it sends itself, not the kernel's.
    @Test func crashIsKilledBySignal() throws {
        let sandbox = try CodeSandbox()
        let result = try sandbox.run(program: "import ctypes\nctypes.string_at(0)\n")
        #expect(result.verdict == .signal)
        #expect(result.signal == SIGSEGV)
        #expect(result.exitStatus == nil)
        #expect(result.reason == "killed by signal \(SIGSEGV) (\(String(cString: strsignal(SIGSEGV))))")
        try SandboxFixture.expectStillPasses(sandbox)
    }

    @Test func loopbackConnectionFailsAndReachesNoListener() throws {
        let listener = try LoopbackListener()
        // Without the sandbox the connection succeeds.
        try listener.connectFromThisProcess()
        #expect(listener.acceptPending())
        let sandbox = try CodeSandbox()
        let program = "import socket\nsocket.create_connection((\"127.0.0.1\", \(listener.port)), timeout=3)\n"
        let result = try sandbox.run(program: program)
        #expect(result.verdict == .failed)
        #expect(result.stderrTail.contains("OSError"))
        #expect(!listener.acceptPending())
        try SandboxFixture.expectStillPasses(sandbox)
    }

    @Test func writeOutsideItsDirectoryFails() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-sandbox-tests-\(UUID().uuidString)")
        // Writable by everyone: only the read-only mount can stop the sandbox's user.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("escaped.txt").path
        let sandbox = try CodeSandbox()
        let result = try sandbox.run(program: "open(\"\(target)\", \"w\").write(\"escaped\")\n")
        #expect(result.verdict == .failed)
        #expect(result.stderrTail.contains("Read-only file system"))
        #expect(!FileManager.default.fileExists(atPath: target))
        try SandboxFixture.expectStillPasses(sandbox)
    }

    @Test func hugeOutputIsStoppedAndCapped() throws {
        let sandbox = try CodeSandbox(limits: SandboxLimits(maxOutputBytes: 1 << 20))
        let result = try sandbox.run(program: "import sys\nsys.stdout.write(\"x\" * 50_000_000)\n")
        #expect(result.verdict == .outputLimit)
        #expect(result.reason == "stopped for writing more than 1048576 bytes of output")
        #expect(result.stdoutBytes > 1 << 20)
        #expect(result.stdoutTail == String(repeating: "x", count: CodeSandbox.tailBytes))
        try SandboxFixture.expectStillPasses(sandbox)
    }

    /// 100,001 bytes end in "x" after 2-byte characters: the last 2,048 bytes start in the middle of one.
    @Test func outputTailIsTheStreamsEndAsValidText() throws {
        let result = try CodeSandbox().run(program: "import sys\nsys.stdout.write(\"é\" * 50_000 + \"x\")\n")
        #expect(result.verdict == .passed)
        #expect(result.stdoutBytes == 100_001)
        #expect(result.stdoutTail == String(repeating: "é", count: 1023) + "x")
    }
}

/// What the sandbox tests share: the availability check, a program that passes, and the checks after a hostile run.
enum SandboxFixture {
    static let isAvailable = ProcessInfo.processInfo.environment["CI"] == "true" || (try? CodeSandbox()) != nil

    /// HumanEval's shape: the prompt, the completion, the tests, and the call of `check` with the entry point.
    static let passingProgram = """
        def add(a: int, b: int) -> int:
            \"\"\"Return the sum of a and b.\"\"\"
            return a + b


        def check(candidate):
            assert candidate(2, 3) == 5
            assert candidate(-4, 4) == 0


        check(add)
        """

    static func expectStillPasses(_ sandbox: CodeSandbox, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try sandbox.run(program: passingProgram)
        #expect(result.verdict == .passed, "\(result.reason)", sourceLocation: sourceLocation)
    }

    /// `printed` starts with the line where the program said it ran (`os.getcwd()`).
    static func expectNoProcess(workingIn printed: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try #require(printed.split(separator: "\n").first.map(String.init), sourceLocation: sourceLocation)
        #expect(directory.contains("assay-sandbox-"), sourceLocation: sourceLocation)
        // The scan sees working directories at all: it finds this test process in its own.
        #expect(processes(workingIn: FileManager.default.currentDirectoryPath).contains(getpid()), sourceLocation: sourceLocation)
        #expect(processes(workingIn: directory).isEmpty, sourceLocation: sourceLocation)
    }

    private static func processes(workingIn directory: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let workingDirectory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else {
                return false
            }
            return workingDirectory == directory || workingDirectory.hasPrefix(directory + "/")
                || workingDirectory == directory + " (deleted)"
        }
    }
}
