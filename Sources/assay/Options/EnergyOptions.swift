import ArgumentParser
import AssayCore
import AssayInference

/// How a run's energy is measured: the meter, and what stands for a server it cannot see.
struct EnergyOptions: ParsableArguments {
    @Option(help: "Energy meter.")
    var meter: EnergyMeterChoice = .auto

    @OptionGroup var server: ServerProcessOption

    @Option(
        help: ArgumentHelp(
            "A remote server's power draw: energy = W x the server's busy time (an estimate, labelled so).", valueName: "watts"))
    var serverWatts: Double?

    @Option(
        help: ArgumentHelp(
            "Where the server runs, when its URL misleads (an SSH tunnel on 127.0.0.1 to another machine). Default: local for 127.0.0.1, ::1 and localhost.",
            valueName: "where"))
    var serverLocation: EnergyScope?

    func validate() throws {
        if let serverWatts, !(serverWatts > 0) { throw ValidationError("--server-watts must be a positive number of watts") }
    }

    /// The request for the run's energy setup (a resumed run without --server-location keeps its stored one).
    func request() -> RunEnergySetup.Request {
        RunEnergySetup.Request(choice: meter, serverPID: server.serverPid, serverWatts: serverWatts, serverLocation: serverLocation)
    }
}
