import ArgumentParser
import AssayCore
import AssayInference
import AssayStore
import AssaySupport
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model over a dataset's items and store every prediction.",
        discussion: """
        The task (--task FILE, default: the case study's sentiment task, samples/sentiment-task.yaml) \
        gives the prompt, the labels, how answers are read and the hyperparameters per model family. \
        Predictions are committed in batches; re-running the same command continues the unfinished \
        run (or pass --resume RUN), never storing an item twice. Ctrl-C stops after the items in \
        flight and marks the run interrupted. One warm-up request is excluded from every measurement. \
        Energy is measured around each batch (--meter) and converted to CO2 with the region's grid \
        emission factor (--region, or --emission-factor with its source) times --pue.

        Energy is counted where the model runs. Embedded engine: this process (RAPL and NVML: the \
        machine). A server on 127.0.0.1/localhost: RAPL is machine-wide; the estimate meter counts \
        the CPU time of the server's processes, found from the port it listens on (or --server-pid), \
        else of the whole machine. A remote server cannot be measured from here: its energy and CO2 \
        read "not measured (remote server)" unless you give --server-watts W (then W x the server's \
        busy time, labelled as that estimate).

        Example:
          assay run --model smollm2-135m --dataset fpb --limit 300
          assay run --model smollm2-135m --dataset fpb --limit 300 --mode score
          assay run --model llama-q4 --dataset fpb --sample 500 --seed 7 --concurrency 2 --region FR
          assay run --model llama-server --dataset fpb --limit 300 --meter estimate --server-pid 4242
          assay run --model gpt-remote --dataset fpb --limit 300 --server-watts 350
          assay run --resume 3
        """
    )

    @Option(help: "The registered model to run.")
    var model: String?

    @Option(help: "The dataset to run over.")
    var dataset: String?

    @Option(help: ArgumentHelp("A YAML task file (default: the built-in sentiment task).", valueName: "file"))
    var task: String?

    @Option(help: "Run only the first N items, in dataset order.")
    var limit: Int?

    @Option(help: "Run N items drawn at random with --seed.")
    var sample: Int?

    @Option(help: "The seed for --sample.")
    var seed: UInt64?

    @Option(help: "generate: parse the generated answer; score: pick the most probable label (embedded engine).")
    var mode: RunModeArgument = .generate

    @Option(help: "CPU threads for the embedded engine (sent to Ollama as num_thread).")
    var threads: Int?

    @Option(help: "Requests in flight at once (servers only).")
    var concurrency: Int = 1

    @Option(help: "Override the task's max_tokens.")
    var maxTokens: Int?

    @Option(help: "Override the task's temperature (0 is greedy).")
    var temperature: Double?

    @Option(help: "Continue run ID exactly as it was started.")
    var resume: RunID?

    @Option(help: "Seconds without a byte from a server before a request fails.")
    var timeout: Double = 120

    @Option(help: "Attempts per request when a failure is transient (refused, HTTP 5xx or 429, timeout, dropped connection).")
    var retries: Int = 4

    @Flag(inversion: .prefixedNo, help: "Ollama: stream the answer (NDJSON) or ask for one JSON object.")
    var stream = true

    @Option(help: "Energy meter: auto, rapl, nvml, estimate, or none.")
    var meter: String = "auto"

    @Option(help: ArgumentHelp("The local server's process, when it is not found from the port it listens on.", valueName: "pid"))
    var serverPid: Int32?

    @Option(help: ArgumentHelp("A remote server's power draw: energy = W x the server's busy time (an estimate, labelled so).", valueName: "watts"))
    var serverWatts: Double?

    @Option(help: ArgumentHelp("local or remote: where the server runs, when its URL misleads (an SSH tunnel on 127.0.0.1 to another machine). Default: local for 127.0.0.1, ::1 and localhost.", valueName: "where"))
    var serverLocation: ServerLocationArgument?

    @Option(help: "Grid region for the emission factor: a country (JP, JPN or Japan), a US state (US-CA), a Canadian province (CA-ON) or WORLD, the default; `assay factors` lists them.")
    var region: String?

    @Option(help: ArgumentHelp("Your own emission factor in grams CO2e per kWh.", valueName: "grams"))
    var emissionFactor: Double?

    @Option(help: "Where --emission-factor comes from (publisher, year).")
    var emissionFactorSource: String?

    @Option(help: "Power usage effectiveness of the facility (1 for a desktop).")
    var pue: Double = 1

    @Flag(help: "Print a JSON summary on stdout.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if resume == nil && (model == nil || dataset == nil) {
            throw ValidationError("give --model and --dataset (or --resume RUN)")
        }
        if resume != nil && (model != nil || dataset != nil || task != nil || limit != nil || sample != nil) {
            throw ValidationError("--resume continues a run as it was started; leave out --model, --dataset, --task, --limit and --sample")
        }
        if limit != nil && sample != nil { throw ValidationError("give --limit or --sample, not both") }
        if seed != nil && sample == nil { throw ValidationError("--seed goes with --sample") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if timeout <= 0 { throw ValidationError("--timeout must be a positive number of seconds") }
        if retries < 1 { throw ValidationError("--retries must be at least 1 (1 means no retry)") }
        if emissionFactorSource != nil && emissionFactor == nil { throw ValidationError("--emission-factor-source goes with --emission-factor") }
    }

    func run() async throws {
        let store = try database.open(create: false)
        let planner = RunPlanner(store: store)
        let carbon = try CarbonSettings(region: region, emissionFactor: emissionFactor, source: emissionFactorSource, pue: pue)
        let plan: RunPlan
        let backend: any InferenceBackend
        let energy: RunEnergySetup
        if let resume {
            plan = try planner.resume(runID: resume)
            // A resumed run keeps the location it was started with unless told otherwise.
            let stored = plan.run.energyScope.flatMap { $0 == .inProcess ? nil : $0 }
            energy = try RunEnergySetup(model: plan.model, request: try energyRequest(location: serverLocation?.scope ?? stored))
            backend = try BackendFactory.backend(for: plan.model, options: backendOptions(threads: threads ?? plan.run.threads))
        } else {
            // The backend and meter are checked before a run is created, so that a misconfiguration leaves no empty run behind.
            let registered = try store.model(named: model ?? "")
            energy = try RunEnergySetup(model: registered, request: try energyRequest(location: serverLocation?.scope))
            backend = try BackendFactory.backend(for: registered, options: backendOptions(threads: threads))
            try Predictor.checkSupport(of: mode.value, by: backend)
            let taskDefinition = try TaskFile.definition(at: task)
            plan = try planner.plan(RunPlanner.Request(
                modelName: model ?? "", datasetName: dataset ?? "", task: taskDefinition, mode: mode.value,
                selection: RunSelection(limit: limit, sample: sample, seed: sample == nil ? nil : (seed ?? 0)),
                overrides: Hyperparameters(maxTokens: maxTokens, temperature: temperature), threads: threads))
        }
        // The engine's thread count is always recorded; a server gets num_thread only when asked.
        let recordedThreads = (backend as? EmbeddedBackend)?.threads ?? threads ?? plan.run.threads
        let predictor = try Predictor(backend: backend, task: plan.task, mode: plan.mode, hyperparameters: plan.hyperparameters,
                                      threads: recordedThreads, retry: RetryPolicy(attempts: retries))
        try store.setEnergyScope(energy.scope, runID: plan.runID)
        let executor = RunExecutor(store: store, runID: plan.runID, predictor: predictor,
                                   batchSize: plan.hyperparameters.batchSize ?? 8, concurrency: concurrency, meter: energy.meter)

        let display = ProgressDisplay()
        let done = plan.selected.count - plan.remaining.count
        display.message(plan.resumed
            ? "Continuing run \(plan.runID): \(done) of \(plan.selected.count) items already done (\(plan.model.name), \(plan.datasetName), \(plan.mode.rawValue))."
            : "Run \(plan.runID): \(plan.selected.count) items (\(plan.model.name), \(plan.datasetName), task \(plan.task.name), \(plan.mode.rawValue)).")
        let interrupt = InterruptSignal {
            display.message("stopping after the items in flight (Ctrl-C again to quit at once)")
        }
        let outcome: RunSessionOutcome
        do {
            outcome = try await executor.execute(
                remaining: plan.remaining, alreadyDone: done, total: plan.selected.count,
                stopRequested: { interrupt.isRequested }, onEvent: display.handle)
        } catch {
            let kept = (try? store.predictedItemIDs(inRun: plan.runID).count) ?? 0
            throw AssayError("\(error); run \(plan.runID) is marked failed and keeps its \(kept) stored predictions; run the same command again to continue it")
        }
        if let energy = outcome.energy {
            try carbon.record(energy, runID: plan.runID, in: store)
        }
        let summary = try RunSummary(plan: plan, outcome: outcome, run: store.run(id: plan.runID),
                                     stored: store.predictedItemIDs(inRun: plan.runID).count)
        if json {
            try JSONOutput.print(summary)
        } else {
            print(summary.text)
        }
        if outcome.status == .interrupted { throw ExitCode(130) }
    }

    private func backendOptions(threads: Int?) -> BackendFactory.Options {
        BackendFactory.Options(timeoutSeconds: timeout, streaming: stream, threads: threads ?? BackendFactory.defaultThreads)
    }

    private func energyRequest(location: EnergyScope?) throws -> RunEnergySetup.Request {
        var choice: EnergyMeterChoice?
        if meter != "none" {
            guard let named = EnergyMeterChoice(rawValue: meter) else {
                throw AssayError("--meter '\(meter)' is not one of auto, rapl, nvml, estimate, none")
            }
            choice = named
        }
        return RunEnergySetup.Request(choice: choice, serverPID: serverPid, serverWatts: serverWatts, serverLocation: location)
    }
}

/// `--server-location` as ArgumentParser reads it.
enum ServerLocationArgument: String, ExpressibleByArgument, CaseIterable {
    case local, remote

    var scope: EnergyScope { self == .local ? .localServer : .remoteServer }
}

/// `--mode` as ArgumentParser reads it.
enum RunModeArgument: String, ExpressibleByArgument, CaseIterable {
    case generate, score

    var value: RunMode {
        switch self {
        case .generate: .generate
        case .score: .score
        }
    }
}
