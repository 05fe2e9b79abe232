import AssayTestSupport
import Foundation
import Testing

/// `assay run` against Ollama and OpenAI-compatible servers (a fake one speaking their wire formats).
@Suite(.serialized)
struct RunServerBackendTests {
    @Test func ollamaStreamedNDJSONStoresEveryPredictionWithItsTimings() throws {
        let server = try FakeLLMServer(logging: true)
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(5) + [("No marker here", "neutral")])
        try study.assay(["model", "add", "smol", "--ollama", "smollm2:135m", "--host", server.ollamaURL])
        let summary = try study.runSummary(try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--threads", "3", "--json"]))
        #expect(summary["status"] as? String == "completed")
        #expect(summary["stored"] as? Int == 6)
        #expect(summary["parsed"] as? Int == 5)
        #expect(summary["unparsed"] as? Int == 1)

        let predictions = try study.predictions()
        #expect(predictions.count == 6)
        for prediction in predictions.prefix(5) {
            #expect(prediction["label"] as? String == prediction["gold_label"] as? String)
            #expect(prediction["reasoning"] as? String == "the text says so")
            #expect(prediction["prompt_tokens"] as? Int == 26)
            #expect(prediction["completion_tokens"] as? Int == 7)
            let timings = try #require(prediction["backend_timings"] as? String)
            #expect(timings.contains("\"eval_duration\":4709213000") && timings.contains("\"total_duration\":5043500667"))
        }
        #expect(predictions[5]["parse_status"] as? String == "unparsed")
        #expect(predictions[5]["label"] is NSNull)

        // Warm-up plus one request per item, every option sent explicitly.
        let requests = try server.receivedRequests()
        #expect(requests.count == 7)
        let body = try #require(requests.last?["body"] as? [String: Any])
        #expect(body["stream"] as? Bool == true)
        let options = try #require(body["options"] as? [String: Any])
        #expect(options["num_predict"] as? Int == 96)
        #expect(options["temperature"] as? Double == 0)
        #expect(options["top_p"] as? Double == 1)
        #expect(options["top_k"] as? Int == 0)
        #expect(options["seed"] as? Int == 42)
        #expect(options["num_ctx"] as? Int == 2048)
        #expect(options["num_thread"] as? Int == 3)
    }

    @Test func eachPredictionsEnergyShareFollowsTheServersOwnTime() throws {
        let server = try FakeLLMServer(delay: 0.01)
        defer { server.stop() }
        let study = try StudyFolder()
        // Six items commit as one batch (the task's batch size is 8).
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(6))
        try study.assay(["model", "add", "smol", "--ollama", "smollm2:135m", "--host", server.ollamaURL])
        _ = try study.runSummary(try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--meter", "estimate", "--json"]))
        let predictions = try study.predictions()
        let shares = predictions.compactMap { $0["energy_kwh"] as? Double }
        let latencies = predictions.compactMap { $0["latency_seconds"] as? Double }
        #expect(shares.count == 6)
        // The fake Ollama reports the same total_duration for every answer, so the shares are equal
        // although the measured latencies are not.
        #expect(Set(latencies).count > 1)
        let first = try #require(shares.first)
        #expect(shares.allSatisfy { abs($0 - first) <= 1e-12 * first }, "\(shares)")
    }

    @Test func ollamaSingleJSONAnswer() throws {
        let server = try FakeLLMServer(logging: true)
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(3))
        try study.assay(["model", "add", "smol", "--ollama", "smollm2:135m", "--host", server.ollamaURL])
        let summary = try study.runSummary(try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--no-stream", "--json"]))
        #expect(summary["parsed"] as? Int == 3)
        let body = try #require(try server.receivedRequests().last?["body"] as? [String: Any])
        #expect(body["stream"] as? Bool == false)
        let predictions = try study.predictions()
        #expect(predictions.map { $0["label"] as? String } == ["positive", "negative", "neutral"])
        #expect((predictions[0]["backend_timings"] as? String)?.contains("prompt_eval_duration") == true)
    }

    @Test func openAICompatibleServerKeepsUsage() throws {
        let server = try FakeLLMServer(logging: true)
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(3))
        try study.assay([
            "model", "add", "vllm", "--openai", "smollm2-served", "--base-url", server.openAIBaseURL, "--api-key-env", "TEST_KEY",
        ])
        let summary = try study.runSummary(
            try study.assay(
                ["run", "--model", "vllm", "--dataset", "fpb", "--json"],
                environment: ["TEST_KEY": "secret-1"]))
        #expect(summary["parsed"] as? Int == 3)
        let predictions = try study.predictions()
        #expect(predictions.map { $0["label"] as? String } == ["positive", "negative", "neutral"])
        #expect(predictions[0]["prompt_tokens"] as? Int == 31)
        let timings = try #require(predictions[0]["backend_timings"] as? String)
        #expect(timings.contains("\"usage\"") && !timings.contains("\"timings\""))
        let request = try #require(try server.receivedRequests().last)
        #expect(request["path"] as? String == "/v1/chat/completions")
        #expect(request["authorization"] as? String == "Bearer secret-1")
        let body = try #require(request["body"] as? [String: Any])
        #expect(body["max_tokens"] as? Int == 96 && body["seed"] as? Int == 42 && body["temperature"] as? Double == 0)
    }

    @Test func llamaCppServerTimingsAreKept() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(2))
        try study.assay(["model", "add", "llama", "--openai", "llamacpp-smollm2", "--base-url", server.openAIBaseURL])
        _ = try study.runSummary(try study.assay(["run", "--model", "llama", "--dataset", "fpb", "--json"]))
        let timings = try #require(try study.predictions()[0]["backend_timings"] as? String)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(timings.utf8)) as? [String: Any])
        let llama = try #require(object["timings"] as? [String: Any])
        #expect(llama["predicted_per_second"] as? Double == 102.0)
        #expect(llama["prompt_n"] as? Int == 31)
        #expect((object["usage"] as? [String: Any])?["completion_tokens"] as? Int == 7)
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        let backend: String
        let model: String
        let expected: String
        var testDescription: String { "\(backend) \(model)" }
    }

    static let failures: [FailureCase] = [
        FailureCase(
            backend: "ollama", model: "missing",
            expected: "has no model 'missing' (model \"missing\" not found, try pulling it first); pull it with `ollama pull missing`"),
        FailureCase(backend: "openai", model: "missing", expected: "has no model 'missing' (The model `missing` does not exist)"),
        FailureCase(backend: "ollama", model: "error500", expected: "answered HTTP 500: llama runner process has terminated"),
        FailureCase(backend: "openai", model: "error500", expected: "answered HTTP 500: internal server error"),
        FailureCase(backend: "ollama", model: "malformed", expected: "sent malformed JSON on streamed line 1"),
        FailureCase(backend: "openai", model: "malformed", expected: "sent malformed JSON"),
        FailureCase(
            backend: "ollama", model: "truncated",
            expected: "closed the connection before the answer was complete (stream ended at an unexpected time)"),
        FailureCase(
            backend: "ollama", model: "nodone", expected: "ended its streamed answer before the final \"done\": true line (after 2 lines)"),
        FailureCase(
            backend: "openai", model: "truncated",
            expected: "closed the connection before the answer was complete (stream ended at an unexpected time)"),
        FailureCase(backend: "ollama", model: "slow", expected: "sent nothing for 0.5 s"),
        FailureCase(backend: "openai", model: "slow", expected: "sent nothing for 0.5 s"),
    ]

    @Test(arguments: failures)
    func serverFailuresStopTheRunWithOneClearLine(_ failure: FailureCase) throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(2))
        let add =
            failure.backend == "ollama"
            ? ["--ollama", failure.model, "--host", server.ollamaURL]
            : ["--openai", failure.model, "--base-url", server.openAIBaseURL]
        try study.assay(["model", "add", "broken"] + add)
        let result = try study.assay(["run", "--model", "broken", "--dataset", "fpb", "--timeout", "0.5", "--retries", "2"])
        #expect(result.status != 0)
        let errorLine = try #require(result.stderr.split(separator: "\n").last.map(String.init))
        #expect(errorLine.hasPrefix("Error: "))
        #expect(errorLine.contains(failure.expected), "\(errorLine)")
        #expect(errorLine.contains("run 1 is marked failed and keeps its 0 stored predictions"))
        #expect(try study.predictions().isEmpty)
    }

    @Test func connectionRefusedSaysSo() throws {
        let server = try FakeLLMServer()
        let port = server.port
        server.stop()
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(1))
        try study.assay(["model", "add", "gone", "--ollama", "smollm2", "--host", "http://127.0.0.1:\(port)"])
        let result = try study.assay(["run", "--model", "gone", "--dataset", "fpb", "--retries", "1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Error: cannot connect to Ollama at http://127.0.0.1:\(port) (connection refused)"))
    }

    @Test func transientFailuresAreRetriedAndNoItemIsSkipped() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(4))
        try study.assay(["model", "add", "flaky", "--ollama", "flaky", "--host", server.ollamaURL])
        let result = try study.assay(["run", "--model", "flaky", "--dataset", "fpb", "--json"])
        let summary = try study.runSummary(result)
        #expect(summary["stored"] as? Int == 4)
        #expect(result.stderr.contains("retrying in 0.5 s (attempt 2): Ollama at \(server.ollamaURL) answered HTTP 503: server busy"))
        #expect(Set(try study.predictions().compactMap { $0["item_id"] as? Int }) == [1, 2, 3, 4])
    }

    @Test func concurrentRequestsStoreEveryItemOnce() throws {
        let server = try FakeLLMServer(delay: 0.05)
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(20))
        try study.assay(["model", "add", "smol", "--openai", "smollm2-served", "--base-url", server.openAIBaseURL])
        let summary = try study.runSummary(try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--concurrency", "4", "--json"]))
        #expect(summary["stored"] as? Int == 20 && summary["parsed"] as? Int == 20)
        let predictions = try study.predictions()
        #expect(predictions.compactMap { $0["item_id"] as? Int }.sorted() == Array(1...20))
        #expect(predictions.allSatisfy { $0["label"] as? String == $0["gold_label"] as? String })
    }

    @Test func scoreModeNeedsTheEmbeddedEngine() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(1))
        try study.assay(["model", "add", "smol", "--ollama", "smollm2", "--host", server.ollamaURL])
        let result = try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--mode", "score"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--mode score needs label probabilities, which only the embedded engine gives"))
    }
}
