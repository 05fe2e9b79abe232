import ArgumentParser
import AssayCore
import AssayInference
import AssayStore
import AssaySupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The whole study in one command, made of the same commands a user would type: each step prints
/// the command it runs, so the demo doubles as a tutorial.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole study on the embedded model and the samples, then open the review.",
        discussion: """
        Fetches SmolLM2-135M (shipped at Q4_1), imports the samples, makes the variants (an F16 \
        expansion as the "before" model, Q8_0 and Q4_0 as other points), runs each over the samples, \
        prints the metrics and the before/after comparison with energy and CO2, writes the exports, and \
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
    var mode: RunModeArgument = .score

    @Option(help: "Run the first N samples (the samples cycle through the labels, so 24 gives 8 of each; 50 is all).")
    var limit = 24

    @Option(help: "New tokens for each answer's reasoning.")
    var maxTokens = 48

    @Option(help: "CPU threads for the engine (default: all cores).")
    var threads: Int?

    @Option(help: "The name to review under (default: $USER).")
    var annotator = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "expert"

    @OptionGroup var database: DatabaseOptions

    /// The shipped model and the variants made from it, the "before" first.
    private static let baseModel = "smollm2-135m"
    private static let variants: [(model: String, type: String, file: String)] = [
        ("smollm2-135m-f16", "f16", "SmolLM2-135M-Instruct.F16.gguf"),
        ("smollm2-135m-q8_0", "q8_0", "SmolLM2-135M-Instruct.Q8_0.gguf"),
        ("smollm2-135m-q4_0", "q4_0", "SmolLM2-135M-Instruct.Q4_0.gguf"),
    ]
    private static let datasetName = "samples"

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        let started = Date()
        guard FileManager.default.fileExists(atPath: samples) else {
            throw AssayError("\(samples): no such file; run the demo from the repository root or pass --samples FILE")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let db = database.path ?? (out as NSString).appendingPathComponent("assay.sqlite")
        let dbArguments = ["--db", db]

        step(1, "Fetch the embedded model")
        try await Self.invoke(ModelFetchCommand.self, [Self.baseModel] + dbArguments)
        let store = try AssayStore(path: db, create: false)
        let shipped = try store.model(named: Self.baseModel)

        step(2, "Import the samples")
        try await Self.invoke(DatasetImportCommand.self, [samples, "--name", Self.datasetName] + dbArguments)

        step(3, "Make the variants (Q4_1 shipped; F16 expansion as the baseline, Q8_0, Q4_0)")
        let cache = ModelCache.folder()
        for variant in Self.variants {
            let file = cache.appendingPathComponent(variant.file).path
            if FileManager.default.fileExists(atPath: file) {
                note("\(variant.file) is already in the model cache")
            } else {
                try await Self.invoke(QuantizeCommand.self, [shipped.reference, file, "--type", variant.type, "--name", variant.model])
            }
            if (try? store.model(named: variant.model)) == nil {
                try await Self.invoke(ModelAddCommand.self, [variant.model, "--gguf", file] + dbArguments)
            }
        }

        step(4, "Run each model over the samples (\(mode.rawValue) mode)")
        let order = [Self.variants[0].model, Self.variants[1].model, Self.baseModel, Self.variants[2].model]
        var runIDs: [String: RunID] = [:]
        for model in order {
            if let done = try store.latestRun(modelName: model, datasetName: Self.datasetName, mode: mode.value),
               let id = done.id {
                note("\(model) already has completed run \(id)")
                runIDs[model] = id
                continue
            }
            var arguments = ["--model", model, "--dataset", Self.datasetName, "--mode", mode.rawValue,
                             "--limit", String(limit), "--max-tokens", String(maxTokens)]
            if let threads { arguments += ["--threads", String(threads)] }
            try await Self.invoke(RunCommand.self, arguments + dbArguments)
            guard let finished = try store.latestRun(modelName: model, datasetName: Self.datasetName, mode: mode.value),
                  let id = finished.id else {
                throw AssayError("the run of \(model) did not complete; run assay demo again to continue it")
            }
            runIDs[model] = id
        }
        let ids = order.compactMap { runIDs[$0] }.map(String.init)

        step(5, "Metrics, energy and CO2 of every run")
        try await Self.invoke(MetricsCommand.self, ids.flatMap { ["--run", $0] } + dbArguments)

        step(6, "Before (F16) and after (Q4_0): the case study's Table III for one pair")
        try await Self.invoke(CompareCommand.self, [ids[0], ids[3]] + dbArguments)

        step(7, "Exports for the paper (the qualitative figure needs expert scores: it comes after the review)")
        let exports: [(command: any ParsableCommand.Type, arguments: [String])] = [
            (ExportTableCommand.self, ["--format", "latex", "--out", path("table.tex")]),
            (ExportTableCommand.self, ["--format", "markdown", "--out", path("table.md")]),
            (ReportCommand.self, ["--out", path("report.html")]),
        ]
        for export in exports {
            try await Self.invoke(export.command, export.arguments + dbArguments)
        }

        let elapsed = Int(Date().timeIntervalSince(started).rounded())
        let reviewArguments = ["--annotator", annotator] + ids.flatMap { ["--run", $0] } + dbArguments
        let reviewCommand = (["assay", "review"] + reviewArguments).map(Self.shellQuoted).joined(separator: " ")
        let figureCommand = (["assay", "export", "figure", "--format", "latex", "--select", "key", "--out", path("figure.tex")] + dbArguments)
            .map(Self.shellQuoted).joined(separator: " ")
        step(8, "Expert review (done in \(elapsed) s so far)")
        if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            try await Self.invoke(ReviewCommand.self, reviewArguments)
            print("\nThen write the qualitative figure:\n  \(figureCommand)")
        } else {
            print("No terminal here, so the review REPL is not opened. To score the predictions, run:")
            print("  \(reviewCommand)")
            print("then write the qualitative figure:")
            print("  \(figureCommand)")
        }
    }

    private func path(_ file: String) -> String {
        (out as NSString).appendingPathComponent(file)
    }

    private func step(_ number: Int, _ title: String) {
        print("\n==> [\(number)/8] \(title)")
    }

    private func note(_ text: String) {
        print("    \(text); skipped")
    }

    /// Runs one subcommand exactly as typed on the command line, after echoing it.
    private static func invoke(_ command: any ParsableCommand.Type, _ arguments: [String]) async throws {
        let words = ["assay"] + commandPath(command) + arguments
        print("$ " + words.map(shellQuoted).joined(separator: " "))
        fflush(nil)
        var parsed = try command.parseAsRoot(arguments)
        if var asynchronous = parsed as? any AsyncParsableCommand {
            try await asynchronous.run()
        } else {
            try parsed.run()
        }
        fflush(nil)
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
        return word.unicodeScalars.allSatisfy(safe.contains) && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
