import ArgumentParser
import AssayBenchmarks
import AssayCore
import AssayInference
import AssayStore
import AssaySupport
import Foundation

struct BenchServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Measure the CPU Assay uses while it waits on a local server, next to the server's own.",
        discussion: """
            Sends the first --limit items of a dataset (default 24; or --sample N) to a registered server model (Ollama or \
            OpenAI-compatible, on 127.0.0.1) with the run's prompt and hyperparameters, storing nothing. \
            After one warm-up request, it reads this process's CPU time (/proc/self/stat) and the \
            server's (its processes, found from the port it listens on or --server-pid; else the whole \
            machine from /proc/stat) around the requests, and prints each as cores busy over the wall \
            time. A client that waits idly uses a small fraction of what the server uses.

            Example:
              assay bench server --model smollm2-server --dataset fpb --limit 24 --concurrency 4
              assay bench server --model smollm2-server --dataset fpb --task short.yaml --max-tokens 16
            """
    )

    @Option(help: "A registered model served on this machine.")
    var model: String

    @Option(help: "The dataset whose items are sent.")
    var dataset: String

    @OptionGroup var selection: SelectionOptions
    @OptionGroup var task: TaskOptions
    @OptionGroup var server: ServerOptions
    @OptionGroup var serverProcess: ServerProcessOption
    @OptionGroup var output: JSONOption
    @OptionGroup var database: DatabaseOptions

    /// Without --limit or --sample: 24 requests, enough for the client's share to settle.
    static let defaultSelection = RunSelection(limit: 24)

    func run() async throws {
        let store = try database.open(create: false)
        let registered = try store.model(named: model)
        let serverCPU = try RunEnergySetup.localServerCPU(of: registered, pid: serverProcess.serverPid)
        var options = server.backendOptions
        // No retry: a retried request would add its backoff to the timings.
        options.retry = RetryPolicy(attempts: 1)
        let backend = try BackendFactory.backend(for: registered, options: options)
        // A fleet keeps every server's slots busy.
        let concurrency = backend.requestsEvaluatedTogether ?? server.concurrency
        let definition = try task.definition()
        let hyperparameters = task.overrides.overriding(definition.hyperparameters(for: [registered.name, registered.reference])).resolved
        try hyperparameters.validate(at: "the benchmark's hyperparameters")
        let predictor = try Predictor(
            backend: backend, task: definition, mode: .generate, hyperparameters: hyperparameters,
            threads: nil, retry: RetryPolicy(attempts: 1))
        let items = try store.items(ofDatasetNamed: dataset).items
        let texts = selection.selection(else: Self.defaultSelection).pick(from: items).map(\.text)
        let display = ProgressDisplay()
        display.message(
            "bench server: \(texts.count) requests to \(backend.displayName), \(concurrency) in flight, after one warm-up request")
        let result = try await ServerBenchmark(predictor: predictor, server: serverCPU, concurrency: concurrency)
            .run(texts: texts) { done, seconds in
                display.handle(.progress(RunProgress(done: done, total: texts.count, madeThisSession: done, seconds: seconds)))
            }
        if output.json {
            try JSONOutput.print(result)
            return
        }
        func cores(_ value: Double) -> String { formatFixed(value * 100, decimals: 2) + " % of a core" }
        let table = TextTable(header: ["process", "CPU seconds", "share of wall time"])
        table.add(["client (assay, /proc/self/stat)", formatFixed(result.clientCPUSeconds, decimals: 3), cores(result.clientCores)])
        table.add(["server", formatFixed(result.serverCPUSeconds, decimals: 3), cores(result.serverCores)])
        print("\(result.requests) requests, concurrency \(result.concurrency), \(formatFixed(result.wallSeconds, decimals: 2)) s wall")
        print(table.render())
        print("server: \(result.serverCoverage)")
        if let ratio = result.clientPerServer {
            print("client CPU per server CPU second: \(formatFixed(ratio, decimals: 4))")
        }
    }
}
