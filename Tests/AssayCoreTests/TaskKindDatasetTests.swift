import AssaySupport
import Foundation
import Testing

@testable import AssayCore

/// Datasets and task files of the kinds past classification: what they keep, and one clear line
/// for every bad row or setting.
@Suite struct TaskKindDatasetTests {
    private func dataset(_ jsonl: String, kind: TaskKind, labelColumn: String? = nil) throws -> LabelledDataset {
        try LabelledDataset(bytes: Array(jsonl.utf8), source: "data.jsonl", format: .jsonl, kind: kind, labelColumn: labelColumn)
    }

    @Test func multipleChoiceGoldIsTheOptionLetterWhetherGivenAsIndexLetterOrText() throws {
        let data = try dataset(
            """
            {"question": "Q1", "choices": ["red", "blue", "green"], "answer": 2}
            {"question": "Q2", "choices": ["red", "blue"], "answer": "b"}
            {"question": "Q3", "choices": ["red", "blue"], "answer": "red"}
            """, kind: .multipleChoice)
        #expect(data.rows.map(\.label) == ["C", "B", "A"])
        #expect(try LabelledDataset.choices(in: data.rows[0].fields, place: "row 1") == ["red", "blue", "green"])
        #expect(data.labels.isEmpty)
    }

    @Test func codeRowsKeepTheirTestsAndNeedNoLabel() throws {
        let data = try dataset(
            #"{"prompt": "def f():\n", "test": "def check(c): pass", "entry_point": "f", "task_id": "x/0"}"#, kind: .code)
        #expect(data.rows[0].label == "")
        #expect(data.rows[0].fields["entry_point"] == "f")
        #expect(data.rows[0].text == "def f():\n")
    }

    @Test func generationTakesItsReferencesListOrItsLabelColumn() throws {
        let listed = try dataset(#"{"text": "source", "references": ["first ref", "second"]}"#, kind: .generation)
        #expect(listed.rows[0].label == "first ref")
        let single = try dataset(#"{"text": "source", "target": "The Reference."}"#, kind: .generation)
        #expect(single.rows[0].label == "The Reference.")
    }

    @Test func exactMatchKeepsTheAnswerAsWritten() throws {
        let data = try dataset(#"{"question": "2+2?", "answer": " 2 + 2 = 4\n#### 4 "}"#, kind: .exactMatch)
        #expect(data.rows[0].label == "2 + 2 = 4\n#### 4")
    }

    @Test(arguments: [
        (#"{"question": "Q", "answer": 0}"#, TaskKind.multipleChoice, "data.jsonl row 1 (line 1): no 'choices' column"),
        (#"{"question": "Q", "choices": ["a"], "answer": 0}"#, .multipleChoice, "1 options in 'choices'; give between 2 and 26"),
        (
            #"{"question": "Q", "choices": "red, blue", "answer": 0}"#, .multipleChoice,
            "column 'choices' is not a non-empty JSON list of texts"
        ),
        (#"{"question": "Q", "choices": ["a", " "], "answer": 0}"#, .multipleChoice, "option 2 in 'choices' is empty"),
        (#"{"question": "Q", "choices": ["a", "b"], "answer": 5}"#, .multipleChoice, "the answer '5' names none of the 2 options"),
        (#"{"question": "Q", "answer": ""}"#, .exactMatch, "empty answer in column 'answer'"),
        (#"{"text": "T", "references": []}"#, .generation, "column 'references' is not a non-empty JSON list"),
    ])
    func badRowsGiveOneLineErrorsNamingTheRow(jsonl: String, kind: TaskKind, expected: String) {
        #expect {
            _ = try dataset(jsonl, kind: kind)
        } throws: { error in
            let message = String(describing: error)
            return message.contains(expected) && !message.contains("\n")
        }
    }

    @Test func labelsAreOnlyForClassification() {
        #expect(throws: AssayError.self) {
            _ = try LabelledDataset(
                bytes: Array(#"{"question": "Q", "answer": "4"}"#.utf8), source: "d.jsonl", format: .jsonl, kind: .exactMatch,
                labels: ["a", "b"])
        }
    }

    @Test(arguments: [
        ("name: t\nkind: essay\nprompt:\n  user: '{text}'", "kind 'essay' is not a task kind; use one of classification, multiple_choice"),
        ("name: t\nkind: exact_match\nlabels: [a, b]\nprompt:\n  user: '{text}'", "'labels' is only for classification tasks"),
        ("name: t\nprompt:\n  user: '{text}'", "'labels' is missing or empty"),
        (
            "name: t\nkind: multiple_choice\nmultiple_choice: {method: generate}\nprompt:\n  user: '{text}'",
            "needs a {choices} placeholder in prompt.user"
        ),
        (
            "name: t\nkind: code\ncode: {samples: 2, k: [5]}\nprompt:\n  user: '{text}'",
            "code.k lists 5, but pass@k needs 1 <= k <= samples (2)"
        ),
        ("name: t\nkind: code\ncode: {timeout_seconds: 0}\nprompt:\n  user: '{text}'", "code.timeout_seconds is 0.0"),
    ])
    func badTaskKindSettingsGiveOneLineErrors(yaml: String, expected: String) {
        #expect {
            _ = try TaskDefinition(yaml: yaml, origin: "task.yaml")
        } throws: { error in
            let message = String(describing: error)
            return message.contains(expected) && message.hasPrefix("task.yaml") && !message.contains("\n")
        }
    }

    @Test func everySampleTaskFileReadsWithItsKindAndFigures() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples")
        let expected: [(String, TaskKind, [String])] = [
            ("choice-task.yaml", .multipleChoice, ["acc", "acc_norm"]), ("arithmetic-task.yaml", .exactMatch, ["exact_match"]),
            ("code-task.yaml", .code, ["pass@1"]), ("generation-task.yaml", .generation, ["rouge_l", "token_f1"]),
        ]
        for (file, kind, figures) in expected {
            let path = root.appendingPathComponent(file)
            let task = try TaskDefinition(yaml: try String(contentsOf: path, encoding: .utf8), origin: path.path)
            #expect(task.kind == kind)
            #expect(task.qualityMetrics.map(\.key) == figures)
        }
    }

    @Test func theOptionsAreListedWithLettersWhereThePromptAsks() {
        let prompt = PromptTemplate(user: "{text}\n{choices}\nAnswer:")
        #expect(prompt.userMessage(for: "Which {choices}?", choices: ["red", "blue"]) == "Which {choices}?\nA. red\nB. blue\nAnswer:")
    }

    @Test func codeProgramsAreAssembledAsHumanEvalDoes() {
        let fenced = CodeProgram(
            prompt: "def f():\n    \"\"\"doc\"\"\"\n", completion: "Sure:\n```python\ndef f():\n    return 1\n```\nDone.",
            test: "def check(c):\n    assert c() == 1",
            entryPoint: "f", stop: CodeSettings.humanEvalStops)
        #expect(fenced.body == "def f():\n    return 1\n")
        #expect(fenced.source.hasSuffix("def check(c):\n    assert c() == 1\n\ncheck(f)\n"))
        let plain = CodeProgram(
            prompt: "def f():\n", completion: "    return 1\n\ndef helper():\n    pass", test: "", entryPoint: "f",
            stop: CodeSettings.humanEvalStops)
        #expect(plain.body == "    return 1\n")
        #expect(plain.source.hasPrefix("def f():\n    return 1\n\n"))
    }
}
