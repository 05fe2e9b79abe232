import ArgumentParser

/// `--server-pid`: the local server's process, for the commands that read its CPU time (run, bench server).
struct ServerProcessOption: ParsableArguments {
    @Option(help: ArgumentHelp("The local server's process, when it is not found from the port it listens on.", valueName: "pid"))
    var serverPid: Int32?

    func validate() throws {
        if let serverPid, serverPid < 1 { throw ValidationError("--server-pid must be a process id (1 or more)") }
    }
}
