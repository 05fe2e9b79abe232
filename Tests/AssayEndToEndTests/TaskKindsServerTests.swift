import AssayTestSupport
import Foundation
import Testing

/// Task kinds through a server (the fake OpenAI-compatible one): multiple choice by a generated
/// letter, and the clear refusal of log-likelihood scoring, which a server cannot give.
@Suite(.serialized)
struct TaskKindsServerTests {
    static let questions = """
        {"question": "Pick blue. expect-choice:B", "choices": ["red", "blue", "green"], "answer": 1}
        {"question": "Pick red. expect-choice:A", "choices": ["red", "blue"], "answer": "A"}
        {"question": "Pick green, but the model says red. expect-choice:A", "choices": ["red", "blue", "green"], "answer": "green"}
        {"question": "No marker: the model cannot tell.", "choices": ["yes", "no"], "answer": 0}

        """

    /// A study with the questions as dataset 'quiz' and the server as model 'server'.
    static func quizStudy(server: FakeLLMServer) throws -> StudyFolder {
        let study = try StudyFolder()
        let data = try study.folder.write("questions.jsonl", Self.questions)
        try #require(try study.assay(["dataset", "import", data, "--name", "quiz", "--kind", "multiple_choice"]).status == 0)
        try #require(try study.assay(["model", "add", "server", "--openai", "qwen2.5", "--base-url", server.openAIBaseURL]).status == 0)
        return study
    }

    @Test func multipleChoiceByGenerationReadsTheLetterAndScoresAccuracy() throws {
        let server = try FakeLLMServer(logging: true)
        defer { server.stop() }
        let study = try Self.quizStudy(server: server)
        let task = try study.folder.write(
            "quiz.yaml",
            """
            name: quiz
            kind: multiple_choice
            prompt:
              user: "{text}\\n{choices}\\nAnswer with the letter."
            multiple_choice: {method: generate}
            hyperparameters: {max_tokens: 16, temperature: 0}
            """)
        let summary = try study.runSummary(try study.assay(["run", "--model", "server", "--dataset", "quiz", "--task", task, "--json"]))
        #expect(summary["parsed"] as? Int == 3 && summary["unparsed"] as? Int == 1)
        let predictions = try study.predictions()
        #expect(predictions.map { $0["label"] as? String } == ["B", "A", "A", nil])
        #expect(
            predictions.map { ($0["outcome"] as? [String: Any])?["scores"] as? [String: Double] } == [
                ["acc": 1], ["acc": 1], ["acc": 0], ["acc": 0],
            ])
        // The options reached the model lettered, in the item's order.
        let body = try #require(try server.receivedRequests().last { ($0["body"] as? [String: Any]) != nil }?["body"] as? [String: Any])
        let user = try #require((body["messages"] as? [[String: String]])?.last?["content"])
        #expect(user.contains("A. yes\nB. no"))
        let quality = try #require(try study.metricsView(run: 1)["quality"] as? [[String: Any]])
        #expect(quality.map { $0["metric"] as? String } == ["acc"])
        #expect(quality.first?["value"] as? Double == 0.5)
    }

    @Test func logLikelihoodScoringThroughAServerIsRefusedBeforeARunIsMade() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try Self.quizStudy(server: server)
        let result = try study.assay([
            "run", "--model", "server", "--dataset", "quiz", "--task", SharedFiles.projectFile("samples/choice-task.yaml").path,
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("scores options by log-likelihood, which only the embedded engine gives"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let metrics = try study.assay(["metrics", "--run", "1"])
        #expect(metrics.status != 0 && metrics.stderr.contains("no run with id 1"), "\(metrics.stderr)")
    }

    @Test func scoreModeIsForClassificationTasks() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try Self.quizStudy(server: server)
        let result = try study.assay([
            "run", "--model", "server", "--dataset", "quiz", "--task", SharedFiles.projectFile("samples/choice-task.yaml").path, "--mode",
            "score",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--mode score is for classification tasks; task 'general-choice' is of kind multiple_choice"))
    }

    @Test func aTaskOfAnotherKindThanTheDatasetIsOneClearError() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try Self.quizStudy(server: server)
        let result = try study.assay([
            "run", "--model", "server", "--dataset", "quiz", "--task", SharedFiles.projectFile("samples/arithmetic-task.yaml").path,
        ])
        #expect(result.status != 0)
        #expect(
            result.stderr.contains(
                "dataset 'quiz' holds multiple_choice items but task 'arithmetic-reasoning' is of kind exact_match"))
    }
}
