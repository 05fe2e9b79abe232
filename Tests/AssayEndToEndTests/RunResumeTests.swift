import AssayTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A run survives `kill -9` and Ctrl-C: re-running continues it, with no duplicate and no gap.
@Suite(.serialized)
struct RunResumeTests {
    /// Starts `assay run` in the background and returns the process.
    static func startRun(_ study: StudyFolder, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = AssayBinary.url
        process.arguments = ["run"] + arguments + ["--db", study.database]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until at least `count` predictions are stored (or the process ends).
    static func waitForPredictions(_ study: StudyFolder, atLeast count: Int, while process: Process) throws -> Int {
        while process.isRunning {
            let stored = try study.predictions().count
            if stored >= count { return stored }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try study.predictions().count
    }

    /// Starts `assay run`, kills it with SIGKILL once `count` predictions are stored, and returns how many were.
    static func killNine(_ study: StudyFolder, _ arguments: [String], afterPredictions count: Int) throws -> Int {
        let first = try startRun(study, arguments)
        let stored = try waitForPredictions(study, atLeast: count, while: first)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        return stored
    }

    static func checkComplete(_ study: StudyFolder, items: Int) throws {
        let predictions = try study.predictions()
        let itemIDs = predictions.compactMap { $0["item_id"] as? Int }
        #expect(itemIDs.count == items, "one prediction per item")
        #expect(Set(itemIDs) == Set(1...items), "no gap")
        #expect(Set(predictions.compactMap { $0["run_id"] as? Int }) == [1], "the same run was continued")
        for prediction in predictions {
            #expect(prediction["label"] as? String == prediction["gold_label"] as? String)
        }
    }

    @Test(arguments: TestStore.available)
    func killNineMidRunThenRerunLeavesNoDuplicateAndNoGap(on store: TestStore) throws {
        let server = try FakeLLMServer(delay: 0.05)
        defer { server.stop() }
        let study = try StudyFolder(on: store)
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(40))
        try study.assay(["model", "add", "smol", "--ollama", "smollm2", "--host", server.ollamaURL])
        let arguments = ["--model", "smol", "--dataset", "fpb"]

        let storedBeforeKill = try Self.killNine(study, arguments, afterPredictions: 8)
        #expect(storedBeforeKill >= 8 && storedBeforeKill < 40, "killed mid-run")

        let second = try study.assay(["run"] + arguments + ["--json"])
        let summary = try study.runSummary(second)
        #expect(summary["resumed"] as? Bool == true)
        #expect(summary["status"] as? String == "completed")
        #expect(second.stderr.contains("Continuing run 1:"))
        try Self.checkComplete(study, items: 40)

        // Running the finished command again starts a new run rather than touching the completed one.
        let third = try study.runSummary(try study.assay(["run"] + arguments + ["--limit", "2", "--json"]))
        #expect(third["run_id"] as? Int == 2)
    }

    /// One request at a time, and batches of 4 decoded together (continuous batching).
    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs SmolLM2 (assay model fetch smollm2-135m)"), arguments: [1, 4])
    func embeddedSmolLM2SurvivesKillNine(batchSize: Int) throws {
        let model = try #require(SharedFiles.smolLM2)
        let study = try StudyFolder()
        // A short prompt and 3 new tokens keep this quick even in a debug build (the C kernels run -O0 there).
        let task = try study.folder.write(
            "short.yaml",
            """
            name: short-sentiment
            labels: [positive, negative, neutral]
            prompt:
              user: "Sentiment of: {text}"
            hyperparameters: {max_tokens: 3, batch_size: \(batchSize)}
            """)
        let rows: [(String, String)] = (1...(batchSize == 1 ? 1 : 3)).flatMap { round in
            [
                ("Profit doubled \(round).", "positive"), ("Sales fell sharply \(round).", "negative"),
                ("The meeting is on Monday \(round).", "neutral"), ("Shares jumped 10% \(round).", "positive"),
                ("The plant will close \(round).", "negative"), ("The report is attached \(round).", "neutral"),
            ]
        }
        try study.importDataset("mini", rows: rows)
        try study.assay(["model", "add", "smol", "--gguf", model.path])
        let arguments = ["--model", "smol", "--dataset", "mini", "--task", task, "--threads", "2"]

        let storedBeforeKill = try Self.killNine(study, arguments, afterPredictions: 2)
        #expect(storedBeforeKill >= 2 && storedBeforeKill < rows.count, "killed mid-run")

        let summary = try study.runSummary(try study.assay(["run"] + arguments + ["--json"]))
        #expect(summary["resumed"] as? Bool == true)
        #expect(summary["status"] as? String == "completed")
        #expect(summary["batch_size"] as? Int == batchSize)
        let predictions = try study.predictions()
        #expect(predictions.compactMap { $0["item_id"] as? Int }.sorted() == Array(1...rows.count), "no duplicate, no gap")
        for prediction in predictions {
            #expect((prediction["completion_tokens"] as? Int).map { (1...3).contains($0) } == true)
            #expect((prediction["backend_timings"] as? String)?.contains("\"batch_size\":\(batchSize)") == true)
        }
    }

    @Test func ctrlCStopsCleanlyAndResumeFinishesTheRun() throws {
        let server = try FakeLLMServer(delay: 0.05)
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(40))
        try study.assay(["model", "add", "smol", "--ollama", "smollm2", "--host", server.ollamaURL])

        let first = try Self.startRun(study, ["--model", "smol", "--dataset", "fpb"])
        _ = try Self.waitForPredictions(study, atLeast: 3, while: first)
        kill(first.processIdentifier, SIGINT)
        first.waitUntilExit()
        #expect(first.terminationStatus == 130)
        let stored = try study.predictions().count
        #expect(stored >= 3 && stored < 40)

        let resumed = try study.assay(["run", "--resume", "1", "--json"])
        let summary = try study.runSummary(resumed)
        #expect(summary["made_this_session"] as? Int == 40 - stored)
        try Self.checkComplete(study, items: 40)
        let again = try study.assay(["run", "--resume", "1"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("run 1 is already completed"))
    }

    @Test func aSeededSampleIsTheSameOnEveryRun() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(30))
        try study.assay(["model", "add", "smol", "--ollama", "smollm2", "--host", server.ollamaURL])
        _ = try study.runSummary(
            try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--sample", "7", "--seed", "11", "--json"]))
        _ = try study.runSummary(
            try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--sample", "7", "--seed", "11", "--json"]))
        let first = try study.predictions(run: 1).compactMap { $0["item_id"] as? Int }
        let second = try study.predictions(run: 2).compactMap { $0["item_id"] as? Int }
        #expect(first.count == 7)
        #expect(first == second)
        _ = try study.runSummary(
            try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--sample", "7", "--seed", "12", "--json"]))
        #expect(try study.predictions(run: 3).compactMap { $0["item_id"] as? Int } != first)
    }
}
