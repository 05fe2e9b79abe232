import AssaySupport
import Foundation
import Yams

/// A task: its kind, the prompt, how answers are read and scored, default decoding settings
/// and, for `--mode score`, how labels are scored. Written as a YAML task file.
public struct TaskDefinition: Sendable, Equatable {
    public let name: String
    public let kind: TaskKind
    /// Normalised (trimmed, lower-cased) labels in the file's order; empty unless the kind is classification.
    public let labels: [String]
    public let prompt: PromptTemplate
    public let parsing: AnswerParsingRules
    public let hyperparameters: Hyperparameters
    public let families: [ModelFamilyHyperparameters]
    public let scoring: LabelScoring
    public let multipleChoice: MultipleChoiceSettings
    public let code: CodeSettings
    public let generation: GenerationSettings
    /// The file's text as read: stored with every run.
    public let source: String

    /// The file's shape, as Yams decodes it.
    private struct File: Decodable {
        var name: String
        var kind: String?
        var labels: [String]?
        var prompt: PromptTemplate
        var parsing: AnswerParsingRules?
        var hyperparameters: Hyperparameters?
        var families: [ModelFamilyHyperparameters]?
        var score: LabelScoring?
        var multipleChoice: MultipleChoiceSettings?
        var code: CodeSettings?
        var generation: GenerationSettings?

        enum CodingKeys: String, CodingKey {
            case name, kind, labels, prompt, parsing, hyperparameters, families, score, code, generation
            case multipleChoice = "multiple_choice"
        }
    }

    /// Parses and checks a task file; `origin` names it in error messages.
    public init(yaml: String, origin: String) throws {
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch DecodingError.dataCorrupted(let context) where context.underlyingError != nil {
            let reason = context.underlyingError.map { String(describing: $0).split(separator: "\n").first.map(String.init) ?? "" } ?? ""
            throw AssayError("\(origin): not valid YAML (\(reason)); see samples/sentiment-task.yaml for the format")
        } catch let error as DecodingError {
            throw AssayError("\(origin): \(Self.describe(error)); see samples/sentiment-task.yaml for the format")
        } catch {
            throw AssayError(
                "\(origin): not valid YAML (\(String(describing: error).split(separator: "\n").first ?? "")); see samples/sentiment-task.yaml for the format"
            )
        }
        guard let kind = TaskKind(rawValue: file.kind ?? TaskKind.classification.rawValue) else {
            throw AssayError("\(origin): kind '\(file.kind ?? "")' is not a task kind; use one of \(TaskKind.choiceList)")
        }
        let labels = (file.labels ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        if kind == .classification, labels.isEmpty {
            throw AssayError("\(origin): 'labels' is missing or empty; a classification task lists at least two labels")
        }
        if kind != .classification, !labels.isEmpty {
            throw AssayError("\(origin): 'labels' is only for classification tasks; remove it from this \(kind.rawValue) task")
        }
        if let empty = labels.firstIndex(of: "") {
            throw AssayError("\(origin): label \(empty + 1) is empty; give every label a name")
        }
        if let duplicate = labels.first(where: { label in labels.filter { $0 == label }.count > 1 }) {
            throw AssayError("\(origin): label '\(duplicate)' is listed twice; list each label once")
        }
        guard file.prompt.user.contains(PromptTemplate.textPlaceholder) else {
            throw AssayError("\(origin): prompt.user has no {text} placeholder; put {text} where the item's text goes")
        }
        let parsing = Self.normalised(file.parsing ?? AnswerParsingRules())
        for label in parsing.synonyms.keys where !labels.contains(label) {
            throw AssayError(
                "\(origin): parsing.synonyms names '\(label)', which is not one of the labels (\(labels.joined(separator: ", ")))")
        }
        let scoring =
            file.score ?? LabelScoring(assistantPrefix: "", continuations: [:], contentFreeInputs: ["N/A", "", "[MASK]"], calibrate: true)
        let continuations = Dictionary(
            scoring.continuations.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        for label in continuations.keys where !labels.contains(label) {
            throw AssayError(
                "\(origin): score.continuations names '\(label)', which is not one of the labels (\(labels.joined(separator: ", ")))")
        }
        let multipleChoice = file.multipleChoice ?? MultipleChoiceSettings()
        if kind == .multipleChoice, multipleChoice.method == .generate, !file.prompt.user.contains(PromptTemplate.choicesPlaceholder) {
            throw AssayError(
                "\(origin): a multiple_choice task with method generate needs a {choices} placeholder in prompt.user, where the lettered options go"
            )
        }
        let code = file.code ?? CodeSettings()
        try code.validate(at: origin)
        let hyperparameters = file.hyperparameters ?? Hyperparameters()
        try hyperparameters.validate(at: "\(origin) hyperparameters")
        for family in file.families ?? [] {
            try family.hyperparameters.validate(at: "\(origin) family \(family.family)")
        }
        name = file.name
        self.kind = kind
        self.labels = labels
        self.multipleChoice = multipleChoice
        self.code = code
        generation = file.generation ?? GenerationSettings()
        prompt = file.prompt
        self.parsing = parsing
        self.hyperparameters = hyperparameters
        families = file.families ?? []
        self.scoring = LabelScoring(
            assistantPrefix: scoring.assistantPrefix, continuations: continuations,
            contentFreeInputs: scoring.contentFreeInputs, calibrate: scoring.calibrate)
        source = yaml
    }

    /// The built-in default: the case study's sentiment task (also shipped as samples/sentiment-task.yaml).
    public static func builtInSentiment() throws -> TaskDefinition {
        try TaskDefinition(yaml: BuiltInTasks.sentimentYAML, origin: "the built-in sentiment task")
    }

    /// The quality figures a run of this task reports.
    public var qualityMetrics: [QualityMetric] {
        switch kind {
        case .code: code.metrics
        case .multipleChoice where multipleChoice.method == .generate: [.accuracy]
        default: kind.qualityMetrics
        }
    }

    /// The parser for this task's answers.
    public var parser: AnswerParser { AnswerParser(labels: labels, rules: parsing) }

    /// The family whose match strings appear in one of `modelNames`, if any.
    public func family(for modelNames: [String]) -> ModelFamilyHyperparameters? {
        families.first { $0.matches(modelNames) }
    }

    /// The settings for a model: the family's values over the task's defaults, every field filled.
    public func hyperparameters(for modelNames: [String]) -> Hyperparameters {
        let familyValues = family(for: modelNames)?.hyperparameters ?? Hyperparameters()
        return familyValues.overriding(hyperparameters).resolved
    }

    private static func normalised(_ rules: AnswerParsingRules) -> AnswerParsingRules {
        AnswerParsingRules(
            synonyms: Dictionary(rules.synonyms.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: +),
            reasoning: rules.reasoning)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let place = context.codingPath.isEmpty ? "" : " under \(path(context))"
            return "missing key '\(key.stringValue)'\(place)"
        case .typeMismatch(let type, let context):
            return "\(path(context)) should be \(Self.typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context)) is empty; expected \(Self.typeName(type))"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".contains("Array") ? "a list" : "a mapping"
        }
    }
}
