import AssayCore
import Foundation
import Testing

struct TaskDefinitionTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theBuiltInTaskIsTheSampleFile() throws {
        let sample = try String(contentsOf: Self.packageRoot.appendingPathComponent("samples/sentiment-task.yaml"), encoding: .utf8)
        let builtIn = try TaskDefinition.builtInSentiment()
        #expect(builtIn.source.trimmingCharacters(in: .newlines) == sample.trimmingCharacters(in: .newlines))
        #expect(builtIn.labels == ["positive", "negative", "neutral"])
        #expect(builtIn.prompt.userMessage(for: "Sales doubled.").contains("Text: Sales doubled.\n"))
        #expect(builtIn.prompt.user.hasSuffix("Response Format: Positive/Negative/Neutral [Reasoning]"))
        #expect(builtIn.scoring.continuation(for: "neutral") == " Neutral")
        #expect(builtIn.scoring.contentFreeInputs == ["N/A", "", "[MASK]"])
    }

    @Test func tableTwoHyperparametersApplyByModelFamily() throws {
        let task = try TaskDefinition.builtInSentiment()
        let mistral = task.hyperparameters(for: ["mistral-q4", "mistral:7b-instruct-q4_0"])
        #expect(
            mistral
                == Hyperparameters(
                    batchSize: 16, maxTokens: 256, temperature: 0.9, topP: 0.95, topK: 30,
                    beamWidth: 2, seed: 42, contextLength: 2048))
        let qwen = task.hyperparameters(for: ["qwen", "qwen2:7b"])
        #expect(qwen.temperature == 0.8 && qwen.topP == 0.85 && qwen.topK == 40 && qwen.beamWidth == 4)
        let smol = task.hyperparameters(for: ["smollm2-135m", "/models/SmolLM2-135M-Instruct.Q4_1.gguf"])
        #expect(
            smol
                == Hyperparameters(
                    batchSize: 8, maxTokens: 96, temperature: 0, topP: 1, topK: 0, beamWidth: 1,
                    seed: 42, contextLength: 2048))
    }

    @Test func aMultipleChoiceTaskNeedsOnlyAFile() throws {
        let task = try TaskDefinition(
            yaml: """
                name: quiz
                labels: [A, B, C, D]
                prompt:
                  system: Answer with one letter.
                  user: "{text}\\nAnswer:"
                """, origin: "quiz.yaml")
        #expect(task.labels == ["a", "b", "c", "d"])
        #expect(task.prompt.system == "Answer with one letter.")
        #expect(task.parser.parse("The answer is (C).").label == "c")
        #expect(task.hyperparameters(for: ["any"]).maxTokens == 96)
    }

    @Test func theSampleMultipleChoiceTaskReadsLetters() throws {
        let path = Self.packageRoot.appendingPathComponent("samples/multiple-choice-task.yaml")
        let task = try TaskDefinition(yaml: try String(contentsOf: path, encoding: .utf8), origin: path.path)
        #expect(task.labels == ["a", "b", "c", "d"])
        #expect(task.scoring.continuation(for: "c") == " C")
        #expect(task.parser.parse("Answer: (B) because 2+2 is 4").label == "b")
        #expect(task.parser.parse("A good question; I am not sure.").status == .unparsed)
    }

    @Test(arguments: [
        ("name: t\nlabels: [a, b]\nprompt:\n  user: no placeholder", "prompt.user has no {text} placeholder"),
        ("name: t\nlabels: [a, b]\nprompt:\n  user: '{text}'\nparsing:\n  synonyms:\n    c: [x]", "parsing.synonyms names 'c'"),
        ("name: t\nlabels: [a, a]\nprompt:\n  user: '{text}'", "label 'a' is listed twice"),
        ("name: t\nlabels: [a, b]", "missing key 'prompt'"),
        (
            "name: t\nlabels: [a, b]\nprompt:\n  user: '{text}'\nhyperparameters:\n  temperature: hot",
            "hyperparameters.temperature should be a number"
        ),
        ("name: t\nlabels: [a, b]\nprompt:\n  user: '{text}'\nhyperparameters:\n  top_p: 3", "top_p must be in (0, 1]"),
        ("name: [unclosed", "task.yaml: not valid YAML"),
    ])
    func badTaskFilesGiveOneLineErrors(yaml: String, expected: String) {
        #expect {
            _ = try TaskDefinition(yaml: yaml, origin: "task.yaml")
        } throws: { error in
            let message = String(describing: error)
            return message.contains(expected) && message.hasPrefix("task.yaml") && !message.contains("\n")
        }
    }
}
