import AssaySupport
import Yams

/// Reads a rubric file (YAML). Every problem is one line naming the file, the key and, where
/// known, the line, with what to write instead.
///
/// The format:
///
///     name: sentiment-review
///     version: "1"
///     description: ...
///     criteria:
///       - name: clarity
///         question: Is the reasoning logical and easy to follow?
///         levels:            # an ordinal scale: consecutive integers, each described
///           1: ...
///           5: ...
///       - name: verdict
///         question: ...
///         categories:        # or a categorical scale: names, each described
///           consistent: ...
///           inconsistent: ...
public enum RubricParser {
    public static func parse(_ text: String, source: String) throws -> Rubric {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw AssayError("\(source): not valid YAML (\(firstLine(of: error))); fix the syntax")
        }
        guard let root, let mapping = root.mapping else {
            throw AssayError("\(source): expected a mapping with name, version and criteria at the top level")
        }
        let document = Document(source: source)
        try document.rejectUnknownKeys(mapping, allowed: ["name", "version", "description", "criteria"], path: "")
        let name = try document.string(mapping, "name", path: "")
        let version = try document.string(mapping, "version", path: "")
        let description = try document.optionalString(mapping, "description", path: "") ?? ""
        guard let criteriaNode = mapping["criteria"] else {
            throw AssayError("\(source): criteria: missing; list the criteria, each with name, question and levels or categories")
        }
        guard let list = criteriaNode.sequence, !list.isEmpty else {
            throw AssayError("\(source): criteria\(document.at(criteriaNode)): expected a non-empty list of criteria")
        }
        var criteria: [RubricCriterion] = []
        for (index, node) in list.enumerated() {
            let criterion = try document.criterion(node, path: "criteria[\(index)]")
            if criteria.contains(where: { $0.name == criterion.name }) {
                throw AssayError(
                    "\(source): criteria[\(index)].name\(document.at(node)): '\(criterion.name)' is used twice; give each criterion its own name"
                )
            }
            criteria.append(criterion)
        }
        return Rubric(name: name, version: version, description: description, criteria: criteria)
    }

    private static func firstLine(of error: any Error) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
    }

    /// The file being read, for error messages.
    private struct Document {
        let source: String

        func at(_ node: Node) -> String {
            node.mark.map { " (line \($0.line))" } ?? ""
        }

        func key(_ path: String, _ name: String) -> String {
            path.isEmpty ? name : "\(path).\(name)"
        }

        func rejectUnknownKeys(_ mapping: Node.Mapping, allowed: Set<String>, path: String) throws {
            for (keyNode, _) in mapping {
                let name = keyNode.string ?? "?"
                if !allowed.contains(name) {
                    throw AssayError(
                        "\(source): \(key(path, name))\(at(keyNode)): unknown key; expected one of \(allowed.sorted().joined(separator: ", "))"
                    )
                }
            }
        }

        func optionalString(_ mapping: Node.Mapping, _ name: String, path: String) throws -> String? {
            guard let node = mapping[name] else { return nil }
            guard node.scalar != nil, let value = node.string?.trimmingWhitespace, !value.isEmpty else {
                throw AssayError("\(source): \(key(path, name))\(at(node)): expected a non-empty text value")
            }
            return value
        }

        func string(_ mapping: Node.Mapping, _ name: String, path: String) throws -> String {
            guard let value = try optionalString(mapping, name, path: path) else {
                throw AssayError("\(source): \(key(path, name)): missing; add it")
            }
            return value
        }

        func criterion(_ node: Node, path: String) throws -> RubricCriterion {
            guard let mapping = node.mapping else {
                throw AssayError("\(source): \(path)\(at(node)): expected a mapping with name, question and levels or categories")
            }
            try rejectUnknownKeys(mapping, allowed: ["name", "question", "levels", "categories"], path: path)
            let name = try string(mapping, "name", path: path)
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw AssayError("\(source): \(path).name\(at(node)): '\(name)' may hold only letters, digits, - and _")
            }
            let question = try string(mapping, "question", path: path)
            switch (mapping["levels"], mapping["categories"]) {
            case (let levels?, nil):
                return RubricCriterion(
                    name: name, question: question, scale: .ordinal(levels: try ordinalLevels(levels, path: key(path, "levels"))))
            case (nil, let categories?):
                return RubricCriterion(
                    name: name, question: question,
                    scale: .categorical(categories: try categoryLevels(categories, path: key(path, "categories"))))
            case (.some, .some):
                throw AssayError("\(source): \(path)\(at(node)): has both levels and categories; keep one")
            case (nil, nil):
                throw AssayError(
                    "\(source): \(path)\(at(node)): needs levels (an ordinal scale, e.g. 1: ... to 5: ...) or categories (name: description)"
                )
            }
        }

        func described(_ node: Node, path: String) throws -> [(key: Node, name: String, description: String)] {
            guard let mapping = node.mapping, !mapping.isEmpty else {
                throw AssayError("\(source): \(path)\(at(node)): expected a mapping of each level to its description")
            }
            return try mapping.map { keyNode, valueNode in
                let name = keyNode.string?.trimmingWhitespace ?? ""
                guard !name.isEmpty else {
                    throw AssayError("\(source): \(path)\(at(keyNode)): a level has an empty name")
                }
                guard valueNode.scalar != nil, let description = valueNode.string?.trimmingWhitespace, !description.isEmpty else {
                    throw AssayError("\(source): \(path).\(name)\(at(valueNode)): expected a description of this level")
                }
                return (keyNode, name, description)
            }
        }

        func ordinalLevels(_ node: Node, path: String) throws -> [RubricLevel] {
            let entries = try described(node, path: path)
            var numbered: [(Int, RubricLevel)] = []
            for entry in entries {
                guard let number = Int(entry.name) else {
                    throw AssayError(
                        "\(source): \(path).\(entry.name)\(at(entry.key)): ordinal levels are integers; use categories for named values")
                }
                numbered.append((number, RubricLevel(name: String(number), description: entry.description)))
            }
            numbered.sort { $0.0 < $1.0 }
            for (previous, next) in zip(numbered, numbered.dropFirst()) where next.0 != previous.0 + 1 {
                throw AssayError("\(source): \(path): levels must be consecutive integers; \(previous.0) is followed by \(next.0)")
            }
            guard numbered.count >= 2 else {
                throw AssayError("\(source): \(path): a scale needs at least two levels")
            }
            return numbered.map(\.1)
        }

        func categoryLevels(_ node: Node, path: String) throws -> [RubricLevel] {
            let entries = try described(node, path: path)
            guard entries.count >= 2 else {
                throw AssayError("\(source): \(path): a scale needs at least two categories")
            }
            var seen: Set<String> = []
            for entry in entries {
                guard Int(entry.name) == nil, entry.name.allSatisfy({ !$0.isWhitespace }) else {
                    throw AssayError(
                        "\(source): \(path).\(entry.name)\(at(entry.key)): category names are single words that are not numbers")
                }
                guard seen.insert(entry.name.lowercased()).inserted else {
                    throw AssayError(
                        "\(source): \(path).\(entry.name)\(at(entry.key)): this category appears twice (names are case-insensitive)")
                }
            }
            return entries.map { RubricLevel(name: $0.name, description: $0.description) }
        }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
