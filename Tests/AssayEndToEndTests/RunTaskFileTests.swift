import AssayTestSupport
import Foundation
import Testing

/// Tasks of other shapes work from a task file alone.
@Suite(.serialized)
struct RunTaskFileTests {
    @Test func aTaskWithAnotherLabelSetRunsEndToEnd() throws {
        let server = try FakeLLMServer(logging: true)
        defer { server.stop() }
        let study = try StudyFolder()
        let task = try study.folder.write(
            "spam.yaml",
            """
            name: spam-filter
            labels: [spam, ham]
            prompt:
              system: You sort e-mail.
              user: "Is this e-mail spam or ham?\\n{text}"
            parsing:
              synonyms:
                spam: [junk]
                ham: [legitimate]
            hyperparameters: {max_tokens: 16, temperature: 0}
            """)
        try study.importDataset(
            "mail",
            rows: [
                ("WIN A PRIZE NOW expect:spam", "spam"), ("Minutes of Monday's meeting expect:ham", "ham"),
                ("Cheap pills expect:junk", "spam"), ("Lunch tomorrow? expect:legitimate", "ham"),
            ], labels: ["spam", "ham"])
        try study.assay(["model", "add", "server", "--openai", "qwen2.5", "--base-url", server.openAIBaseURL])
        let summary = try study.runSummary(try study.assay(["run", "--model", "server", "--dataset", "mail", "--task", task, "--json"]))
        #expect(summary["task"] as? String == "spam-filter")
        #expect(summary["parsed"] as? Int == 4)
        let predictions = try study.predictions()
        #expect(predictions.map { $0["label"] as? String } == ["spam", "ham", "spam", "ham"])
        let body = try #require(try server.receivedRequests().last?["body"] as? [String: Any])
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages.first == ["role": "system", "content": "You sort e-mail."])
        #expect(messages.last?["content"] == "Is this e-mail spam or ham?\nLunch tomorrow? expect:legitimate")
        #expect(body["max_tokens"] as? Int == 16)
    }

    @Test func aMultipleChoiceTaskRunsEndToEnd() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        let task = try study.folder.write(
            "quiz.yaml",
            """
            name: quiz
            labels: [A, B, C, D]
            prompt:
              user: "{text}\\nAnswer with the letter of the correct option."
            """)
        try study.importDataset(
            "quiz",
            rows: [
                ("2+2? A) 3 B) 4 C) 5 D) 22 expect-choice:B", "b"),
                ("Capital of France? A) Paris B) Rome C) Oslo D) Bern expect-choice:A", "a"),
                ("Largest planet? A) Mars B) Venus C) Jupiter D) Earth expect-choice:C", "c"), ("No marker", "d"),
            ], labels: ["a", "b", "c", "d"])
        try study.assay(["model", "add", "smol", "--ollama", "smollm2", "--host", server.ollamaURL])
        let summary = try study.runSummary(try study.assay(["run", "--model", "smol", "--dataset", "quiz", "--task", task, "--json"]))
        #expect(summary["parsed"] as? Int == 3)
        #expect(summary["unparsed"] as? Int == 1)
        #expect(try study.predictions().map { $0["label"] as? String } == ["b", "a", "c", nil])
    }

    @Test func aTaskThatCannotAnswerTheDatasetsLabelsIsRefused() throws {
        let server = try FakeLLMServer()
        defer { server.stop() }
        let study = try StudyFolder()
        try study.importDataset("mail", rows: [("hello", "spam"), ("hi", "ham")], labels: ["spam", "ham"])
        try study.assay(["model", "add", "smol", "--ollama", "smollm2", "--host", server.ollamaURL])
        let result = try study.assay(["run", "--model", "smol", "--dataset", "mail"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("dataset 'mail' has gold labels spam, ham that task 'financial-sentiment' cannot answer"))
    }

    @Test func aBrokenTaskFileIsOneLineNamingTheFile() throws {
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: StudyFolder.sentimentRows(1))
        try study.assay(["model", "add", "smol", "--ollama", "smollm2", "--host", "http://127.0.0.1:9"])
        let task = try study.folder.write("bad.yaml", "name: x\nlabels: [a, b]\nprompt:\n  user: no placeholder\n")
        let result = try study.assay(["run", "--model", "smol", "--dataset", "fpb", "--task", task])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Error: \(task): prompt.user has no {text} placeholder"))
    }
}
