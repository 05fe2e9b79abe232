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
            The embedded engine decodes the task's batch_size items together (--batch-size, 1 for one at \
            a time; beam search is never batched), evaluating the prompts' shared start once; a server \
            gets --concurrency requests at once. A model registered with several servers (a fleet: \
            assay model add NAME --base-url URL1 --base-url URL2 ...) spreads its items over them, each \
            with its own --concurrency (or the model's --endpoint-concurrency); a server that still \
            fails after --retries is dropped for the rest of the run, its items go to the others, and \
            the summary gives each server's predictions, time and energy. \
            Energy is measured around each batch (--meter) and converted to CO2 with the region's grid \
            emission factor (--region, or --emission-factor with its source) times --pue.

            Energy is counted where the model runs. Embedded engine: this process (RAPL and NVML: the \
            machine). A server on 127.0.0.1/localhost: RAPL is machine-wide; the estimate meter counts \
            the CPU time of the server's processes, found from the port it listens on (or --server-pid), \
            else of the whole machine. A remote server cannot be measured from here: its energy and CO2 \
            read "not measured (remote server)" unless you give --server-watts W (then W x the server's \
            busy time, labelled as that estimate). A fleet is local only when every server is on this \
            machine (the estimate meter then counts every server's processes); each server's energy is \
            the sum of its predictions' shares.

            Task kinds (the task file's `kind`, matching the dataset's): classification; multiple_choice \
            (each option's log-likelihood, acc and acc_norm, or a generated letter); exact_match (the final \
            answer of the reasoning: "#### 42", "The answer is 42", \\boxed{42}, else the last number); code \
            (each program runs its tests in a sandbox: own network, mount and PID namespaces, read-only files \
            but its own folder, CPU, memory and process limits; pass@k from the task's samples); generation \
            (ROUGE-L and token F1 against the references). See samples/ for one task file of each kind.

            Example:
              assay run --model smollm2-135m --dataset fpb --limit 300
              assay run --model smollm2-135m --dataset fpb --limit 300 --mode score
              assay run --model llama-q4 --dataset fpb --sample 500 --seed 7 --concurrency 2 --region FR
              assay run --model llama-server --dataset fpb --limit 300 --meter estimate --server-pid 4242
              assay run --model gpt-remote --dataset fpb --limit 300 --server-watts 350
              assay run --model smollm2-135m --dataset humaneval --task samples/code-task.yaml --limit 20
              assay run --resume 3
            """
    )

    @Option(help: "The registered model to run.")
    var model: String?

    @Option(help: "The dataset to run over.")
    var dataset: String?

    @OptionGroup var task: TaskOptions
    @OptionGroup var selection: SelectionOptions

    @Option(help: "generate: parse the generated answer; score: pick the most probable label (embedded engine).")
    var mode: RunMode = .generate

    @OptionGroup var engine: EngineOptions

    @Option(help: "Continue run ID exactly as it was started.")
    var resume: RunID?

    @OptionGroup var server: ServerOptions

    @Option(help: "Attempts per request when a failure is transient (refused, HTTP 5xx or 429, timeout, dropped connection).")
    var retries: Int = 4

    @Flag(
        help:
            "Where the kernel refuses the code sandbox's namespaces, run generated code with resource limits only (it can then reach the network and write files)."
    )
    var allowUnsandboxed = false

    @Option(help: "The Python 3 interpreter a code task's programs run with.")
    var python = "python3"

    @OptionGroup var energy: EnergyOptions
    @OptionGroup var carbon: CarbonOptions
    @OptionGroup var output: JSONOption
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if resume == nil && (model == nil || dataset == nil) {
            throw ValidationError("give --model and --dataset (or --resume RUN)")
        }
        if resume != nil && (model != nil || dataset != nil || task.task != nil || !selection.isEmpty) {
            throw ValidationError("--resume continues a run as it was started; leave out --model, --dataset, --task, --limit and --sample")
        }
        if retries < 1 { throw ValidationError("--retries must be at least 1 (1 means no retry)") }
    }

    func run() async throws {
        let store = try database.open(create: false)
        let start: RunSession.Start
        if let resume {
            start = .resume(id: resume)
        } else {
            start = .plan(
                RunPlanner.Request(
                    modelName: model ?? "", datasetName: dataset ?? "", task: try task.definition(), mode: mode,
                    selection: selection.selection(), overrides: task.overrides, threads: engine.threads))
        }
        let request = RunSession.Request(
            start: start, threads: engine.threads, backend: server.backendOptions,
            concurrency: server.concurrency, retry: RetryPolicy(attempts: retries), energy: energy.request(),
            carbon: try carbon.settings(), allowUnsandboxed: allowUnsandboxed, python: python)
        try await Self.perform(request, store: store, json: output.json)
    }

    /// Runs a session with a progress display and Ctrl-C handling, then prints its summary; exits
    /// with 130 when interrupted. `assay demo` runs its models through this too.
    @discardableResult
    static func perform(_ request: RunSession.Request, store: AssayStore, json: Bool) async throws -> RunSession.Result {
        let display = ProgressDisplay()
        let interrupt = InterruptSignal {
            display.message("stopping after the items in flight (Ctrl-C again to quit at once)")
        }
        var request = request
        request.backend.onNotice = { display.message($0) }
        let result = try await RunSession(store: store).run(
            request, stopRequested: { interrupt.isRequested },
            onEvent: { event in
                switch event {
                case .planned(let plan, let done):
                    display.message(
                        plan.resumed
                            ? "Continuing run \(plan.runID): \(done) of \(plan.selected.count) items already done (\(plan.model.name), \(plan.datasetName), \(plan.mode.rawValue))."
                            : "Run \(plan.runID): \(plan.selected.count) items (\(plan.model.name), \(plan.datasetName), task \(plan.task.name), \(plan.mode.rawValue))."
                    )
                case .run(let progress):
                    display.handle(progress)
                }
            })
        let summary = RunSummary(result)
        if json {
            try JSONOutput.print(summary)
        } else {
            print(summary.text)
        }
        if result.outcome.status == .interrupted { throw ExitCode(130) }
        return result
    }
}
