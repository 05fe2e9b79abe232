import ArgumentParser
import AssayInference

/// How requests reach a model server: how many at once, how long to wait, streaming (run, bench server).
struct ServerOptions: ParsableArguments {
    @Option(
        help: "Requests in flight at once, for a server, or each server of a fleet (the embedded engine takes --batch-size instead).")
    var concurrency: Int = 1

    @Option(help: "Seconds without a byte from a server before a request fails.")
    var timeout: Double = 120

    @Flag(inversion: .prefixedNo, help: "Ollama: stream the answer (NDJSON) or ask for one JSON object.")
    var stream = true

    func validate() throws {
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    /// The backend's timeout, streaming and each fleet server's requests at once (the engine's threads are EngineOptions').
    var backendOptions: BackendFactory.Options {
        BackendFactory.Options(timeoutSeconds: timeout, streaming: stream, serverConcurrency: concurrency)
    }
}
