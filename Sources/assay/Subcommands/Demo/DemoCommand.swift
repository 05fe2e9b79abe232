import ArgumentParser
import AssayCore
import AssayEngine
import AssayExport
import AssayInference
import AssayStore
import AssaySupport
import Foundation
import GGUF

#if canImport(Glibc)
    import Glibc
#endif

/// The whole study in one command: each step prints the `assay` command a user would type for it,
/// then does what that command does, so the demo doubles as a tutorial.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole study on the embedded model and the samples, then open the review.",
        discussion: """
            Fetches SmolLM2-135M (shipped at Q4_1), imports the samples, makes the variants (an F16 \
            expansion as the "before" model, Q8_0 and Q4_0 as other points), runs each over the samples, \
            prints the metrics, measures the Q4_0 file's divergence from the F16 one (assay divergence), prints \
            the before/after comparison with energy, CO2, flips and divergence, writes the exports, and \
            opens the review REPL (or, without a terminal, prints the command that opens it). Running it \
            again reuses everything already done (delete the --out folder to start over).

            An expansion adds no information: the F16 file holds exactly the Q4_1 weights, so quality \
            differences appear only below the shipped precision (Q4_0), while speed and energy differ for \
            every variant. For a true before/after, start from an F16 GGUF (for example one converted with \
            llama.cpp's convert_hf_to_gguf.py, or an fp16 Ollama tag) and quantize it with `assay quantize`.

            Example:
              assay demo
              assay demo --out /tmp/study --mode generate --limit 20
            """
    )

    @Option(help: ArgumentHelp("The labelled samples to run over.", valueName: "file"))
    var samples = "samples/financial-sentences.csv"

    @Option(help: ArgumentHelp("The folder for the database (unless --db is given) and the exports.", valueName: "folder"))
    var out = "assay-demo"

    @Option(help: "score: pick the most probable label, then reason (fast, calibrated); generate: free answers as in the case study.")
    var mode: RunMode = .score

    @Option(help: "Run the first N samples (the samples cycle through the labels, so 24 gives 8 of each; 50 is all).")
    var limit = 24

    @Option(help: "New tokens for each answer's reasoning.")
    var maxTokens = 48

    @OptionGroup var engine: EngineOptions

    @Option(help: "The name to review under (default: $USER).")
    var annotator = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "expert"

    @OptionGroup var database: DatabaseOptions

    /// The shipped model and the variants made from it, the "before" first.
    private static let baseModel = "smollm2-135m"
    private static let variants: [(model: String, type: QuantizationTarget, file: String)] = [
        ("smollm2-135m-f16", .f16, "SmolLM2-135M-Instruct.F16.gguf"),
        ("smollm2-135m-q8_0", .q8_0, "SmolLM2-135M-Instruct.Q8_0.gguf"),
        ("smollm2-135m-q4_0", .q4_0, "SmolLM2-135M-Instruct.Q4_0.gguf"),
    ]
    private static let datasetName = "samples"

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
    }

    func run() async throws {
        let started = Date()
        guard FileManager.default.fileExists(atPath: samples) else {
            throw AssayError("\(samples): no such file; run the demo from the repository root or pass --samples FILE")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let db = database.path == nil ? (out as NSString).appendingPathComponent("assay.sqlite") : try database.resolvedPath
        let dbArguments = ["--db", db]
        guard let known = KnownModel.named(Self.baseModel) else {
            throw AssayError("the demo's model \(Self.baseModel) is not a known model")
        }

        step(1, "Fetch the embedded model")
        echo(ModelFetchCommand.self, [Self.baseModel] + dbArguments)
        let store = try AssayStore(path: db, create: true)
        let shipped = try ModelFetchCommand.fetch(known, into: store)

        step(2, "Import the samples")
        echo(DatasetImportCommand.self, [samples, "--name", Self.datasetName] + dbArguments)
        try DatasetImportCommand.importFile(samples, name: Self.datasetName, store: { store })

        step(3, "Make the variants (Q4_1 shipped; F16 expansion as the baseline, Q8_0, Q4_0)")
        let cache = CacheFolder.models()
        for variant in Self.variants {
            let file = cache.appendingPathComponent(variant.file).path
            if FileManager.default.fileExists(atPath: file) {
                note("\(variant.file) is already in the model cache")
            } else {
                echo(QuantizeCommand.self, [shipped.reference, file, "--type", variant.type.rawValue, "--name", variant.model])
                try QuantizeCommand.quantize(input: shipped.reference, output: file, target: variant.type, name: variant.model)
            }
            if (try? store.model(named: variant.model)) == nil {
                echo(ModelAddCommand.self, [variant.model, "--gguf", file] + dbArguments)
                try ModelAddCommand.register(
                    ModelAddCommand.embeddedRecord(name: variant.model, file: URL(fileURLWithPath: file)), in: store)
            }
        }

        step(4, "Run each model over the samples (\(mode.rawValue) mode)")
        let order = [Self.variants[0].model, Self.variants[1].model, Self.baseModel, Self.variants[2].model]
        let task = try TaskDefinition.builtInSentiment()
        let carbon = try CarbonSettings(region: nil, emissionFactor: nil, source: nil, pue: 1)
        var ids: [RunID] = []
        for model in order {
            if let done = try store.latestRun(modelName: model, datasetName: Self.datasetName, mode: mode),
                let id = done.id
            {
                note("\(model) already has completed run \(id)")
                ids.append(id)
                continue
            }
            var arguments = [
                "--model", model, "--dataset", Self.datasetName, "--mode", mode.rawValue,
                "--limit", String(limit), "--max-tokens", String(maxTokens),
            ]
            if let threads = engine.threads { arguments += ["--threads", String(threads)] }
            echo(RunCommand.self, arguments + dbArguments)
            let request = RunSession.Request(
                start: .plan(
                    RunPlanner.Request(
                        modelName: model, datasetName: Self.datasetName, task: task, mode: mode, selection: RunSelection(limit: limit),
                        overrides: Hyperparameters(maxTokens: maxTokens), threads: engine.threads)),
                threads: engine.threads, energy: RunEnergySetup.Request(choice: .auto), carbon: carbon)
            let result = try await RunCommand.perform(request, store: store, json: false)
            guard result.outcome.status == .completed else {
                throw AssayError("the run of \(model) did not complete; run assay demo again to continue it")
            }
            ids.append(result.plan.runID)
        }
        let idArguments = ids.map(String.init)

        let policy = UnparsedPolicy.countAsWrong
        let bootstrap = try BootstrapSettings()
        step(5, "Metrics, energy and CO2 of every run")
        echo(MetricsCommand.self, idArguments.flatMap { ["--run", $0] } + dbArguments)
        try MetricsCommand.report(ids, store: store, policy: policy, bootstrap: bootstrap, format: .table)

        step(6, "What quantization changed in the next-token distributions: Q4_0 against the F16 baseline")
        try measureDivergence(store: store, db: db)
        try measureItemDivergence(runs: RunPair(base: ids[0], model: ids[3]), store: store, db: db)

        step(7, "Before (F16) and after (Q4_0): the case study's Table III for one pair, with its flips and divergence")
        echo(CompareCommand.self, [idArguments[0], idArguments[3]] + dbArguments)
        try CompareCommand.report(before: ids[0], after: ids[3], store: store, policy: policy, bootstrap: bootstrap, format: .table)

        step(8, "Exports for the paper (the qualitative figure needs expert scores: it comes after the review)")
        let exports = StudyExports(store: store)
        for (format, file) in [(TableFormat.latex, "table.tex"), (.markdown, "table.md")] {
            echo(ExportTableCommand.self, ["--format", format.rawValue, "--changes", "--out", path(file)] + dbArguments)
            try AtomicFile.write(
                try exports.table(runIDs: [], policy: policy, format: format, kind: .results, fragment: false, changes: true),
                to: path(file))
        }
        echo(ReportCommand.self, ["--out", path("report.html")] + dbArguments)
        try AtomicFile.write(try exports.report(policy: policy, generatedAt: Date()), to: path("report.html"))

        let elapsed = Int(Date().timeIntervalSince(started).rounded())
        let reviewArguments = ["--annotator", annotator] + idArguments.flatMap { ["--run", $0] } + dbArguments
        let figureArguments = ["--format", "latex", "--select", "key", "--out", path("figure.tex")] + dbArguments
        step(9, "Expert review (done in \(elapsed) s so far)")
        if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            echo(ReviewCommand.self, reviewArguments)
            try ReviewCommand.review(annotator: annotator, runIDs: ids, rubric: .defaultLookup, store: store)
            print("\nThen write the qualitative figure:\n  \(Self.commandLine(ExportFigureCommand.self, figureArguments))")
        } else {
            print("No terminal here, so the review REPL is not opened. To score the predictions, run:")
            print("  \(Self.commandLine(ReviewCommand.self, reviewArguments))")
            print("then write the qualitative figure:")
            print("  \(Self.commandLine(ExportFigureCommand.self, figureArguments))")
        }
    }

    /// `assay divergence` of the Q4_0 file against the F16 expansion on the samples' texts, once.
    private func measureDivergence(store: AssayStore, db: String) throws {
        let (base, quantized) = (Self.variants[0].model, Self.variants[2].model)
        if let baseFile = try store.model(named: base).fileSha256, let quantizedFile = try store.model(named: quantized).fileSha256,
            let done = try store.divergences(baseSha256: baseFile, modelSha256: quantizedFile).first, let id = done.id
        {
            note("\(quantized) against \(base) already has divergence \(id)")
            return
        }
        let text = path("samples-text.txt")
        try AtomicFile.write(try store.items(ofDatasetNamed: Self.datasetName).items.map(\.text).joined(separator: "\n") + "\n", to: text)
        let settings = ChunkSettings(context: 256, chunks: 4)
        echo(
            DivergenceCommand.self, ["--base", base, "--model", quantized, "--text", text, "--context", "256", "--chunks", "4", "--db", db])
        var options = DatabaseOptions()
        options.path = db
        try DivergenceCommand.measure(
            base: base, model: quantized, text: text, settings: settings, threads: engine.resolvedThreads, json: false, database: options)
    }

    /// `assay divergence --dataset` of the same pair on each item's prompt and F16 answer, joined to
    /// the items' flips (the report's flips-versus-KL view), once.
    private func measureItemDivergence(runs: RunPair, store: AssayStore, db: String) throws {
        if let done = try store.itemDivergence(baseRun: runs.base, modelRun: runs.model) {
            note("runs \(runs.base) and \(runs.model) already have per-item divergence \(done.divergence.id.map(String.init) ?? "")")
            return
        }
        let (base, quantized) = (Self.variants[0].model, Self.variants[2].model)
        echo(
            DivergenceCommand.self,
            ["--dataset", Self.datasetName, "--runs", "\(runs.base),\(runs.model)", "--base", base, "--model", quantized, "--db", db])
        var options = DatabaseOptions()
        options.path = db
        try DatasetDivergence.measure(
            dataset: Self.datasetName, runs: runs, base: base, model: quantized, threads: engine.resolvedThreads, json: false,
            database: options)
    }

    private func path(_ file: String) -> String {
        (out as NSString).appendingPathComponent(file)
    }

    private func step(_ number: Int, _ title: String) {
        print("\n==> [\(number)/9] \(title)")
    }

    private func note(_ text: String) {
        print("    \(text); skipped")
    }

    /// Prints the command a user would type for the step that follows, which the demo then performs
    /// by calling the same code that command calls.
    private func echo(_ command: any ParsableCommand.Type, _ arguments: [String]) {
        print("$ " + Self.commandLine(command, arguments))
        fflush(nil)
    }

    /// "assay export table --format latex ...", quoted for a POSIX shell.
    private static func commandLine(_ command: any ParsableCommand.Type, _ arguments: [String]) -> String {
        (["assay"] + commandPath(command) + arguments).map(shellQuoted).joined(separator: " ")
    }

    /// The words that name `command` under `assay`, such as ["export", "table"].
    private static func commandPath(_ command: any ParsableCommand.Type) -> [String] {
        func search(_ candidates: [any ParsableCommand.Type], _ prefix: [String]) -> [String]? {
            for candidate in candidates {
                let name = candidate.configuration.commandName ?? String(describing: candidate).lowercased()
                if candidate == command { return prefix + [name] }
                if let found = search(candidate.configuration.subcommands, prefix + [name]) { return found }
            }
            return nil
        }
        return search(AssaySubcommands.all, []) ?? []
    }

    private static func shellQuoted(_ word: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:,"))
        return word.unicodeScalars.allSatisfy(safe.contains) && !word.isEmpty
            ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
