import AssaySandbox
import AssaySupport
import Testing

/// Mistakes in what the sandbox is given are one-line errors, before any program runs.
struct SandboxConfigurationTests {
    @Test func missingInterpreterPathIsNamed() {
        let error = #expect(throws: AssayError.self) { try CodeSandbox(python: "/nonexistent/python3") }
        #expect(
            error?.message
                == "the Python interpreter /nonexistent/python3 does not exist or is not executable; pass --python with one that is")
    }

    @Test func interpreterMissingFromPathSaysSo() {
        let error = #expect(throws: AssayError.self) { try CodeSandbox(python: "assay-no-such-python3") }
        #expect(error?.message.hasPrefix("assay-no-such-python3 was not found on PATH") == true)
    }

    @Test func nonPositiveLimitsAreRefused() {
        let wall = #expect(throws: AssayError.self) { try CodeSandbox(limits: SandboxLimits(wallSeconds: 0)) }
        #expect(wall?.message == "the sandbox's wall-clock limit must be a positive number of seconds, not 0.0")
        let processes = #expect(throws: AssayError.self) { try CodeSandbox(limits: SandboxLimits(maxProcesses: -1)) }
        #expect(processes?.message == "the sandbox's process limit must be positive, not -1")
    }

    @Test func programThatIsNotPythonIsRefused() {
        let error = #expect(throws: AssayError.self) { try CodeSandbox(python: "/bin/true") }
        #expect(error?.message.hasPrefix("/bin/true did not describe itself as a Python interpreter") == true)
    }
}
