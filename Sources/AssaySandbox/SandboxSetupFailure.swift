import AssaySupport
import CSandbox
import Foundation

/// A run that could not start its program, as the C side reported it.
struct SandboxSetupFailure: Error {
    let stage: sandbox_stage
    let errorNumber: Int32
    let path: String
    let sandboxUID: UInt32

    var refusedNamespaces: Bool { stage == SANDBOX_STAGE_NAMESPACES }

    /// The one-line error for the user: what failed, where, and what to do.
    func error(interpreter: PythonInterpreter) -> AssayError {
        let cause = String(cString: strerror(errorNumber))
        switch stage {
        case SANDBOX_STAGE_NAMESPACES where errorNumber == ENOSYS:
            return AssayError("the code sandbox runs generated code on Linux only: this system lacks its namespaces and limits")
        case SANDBOX_STAGE_NAMESPACES:
            return AssayError(
                "the code sandbox cannot isolate generated code here: the kernel refused new user, mount, network and PID "
                    + "namespaces (\(cause)); allow unprivileged user namespaces (sysctls kernel.unprivileged_userns_clone=1 "
                    + "and user.max_user_namespaces > 0, on Ubuntu kernel.apparmor_restrict_unprivileged_userns=0), or pass "
                    + "--allow-unsandboxed to run it with resource limits only")
        case SANDBOX_STAGE_EXEC where errorNumber == EACCES || errorNumber == ENOENT,
            SANDBOX_STAGE_INTERPRETER_PATHS where errorNumber == EACCES:
            return AssayError(
                "the code sandbox's user (uid \(sandboxUID)) cannot run \(interpreter.executable) (\(path): \(cause)); "
                    + "pass --python with an interpreter that user can read, such as /usr/bin/python3")
        default:
            let place = path.isEmpty ? "" : " (\(path))"
            return AssayError("the code sandbox could not \(Self.step(stage))\(place): \(cause)")
        }
    }

    private static func step(_ stage: sandbox_stage) -> String {
        switch stage {
        case SANDBOX_STAGE_MOUNT_TABLE: "read the mount table"
        case SANDBOX_STAGE_DIRECTORY: "prepare the run's directory"
        case SANDBOX_STAGE_PIPES: "open the output pipes"
        case SANDBOX_STAGE_FORK: "start a process"
        case SANDBOX_STAGE_ID_MAPS: "map the sandbox user into its user namespace"
        case SANDBOX_STAGE_READ_ONLY_MOUNTS: "make the mounts read-only"
        case SANDBOX_STAGE_INTERPRETER_PATHS: "make the interpreter's directories reachable"
        case SANDBOX_STAGE_PROC: "mount the sandbox's /proc"
        case SANDBOX_STAGE_LIMITS: "set the resource limits"
        case SANDBOX_STAGE_CREDENTIALS: "switch to the sandbox user"
        case SANDBOX_STAGE_EXEC: "start the interpreter"
        case SANDBOX_STAGE_WAIT: "wait for the program"
        default: "set up (step \(stage.rawValue))"
        }
    }
}
