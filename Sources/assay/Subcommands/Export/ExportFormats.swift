import ArgumentParser
import AssayCore
import AssayExport

extension TableFormat: ExpressibleByArgument {}
extension FigureFormat: ExpressibleByArgument {}
extension ScoresFormat: ExpressibleByArgument {}
extension ExampleSelection: ExpressibleByArgument {}

/// `--unparsed`, for the commands that compute metrics.
struct UnparsedOption: ParsableArguments {
    @Option(name: .customLong("unparsed"), help: ArgumentHelp(
        "How answers without a label count: count-as-wrong (default) or exclude.", valueName: "policy"),
            transform: UnparsedOption.policy)
    var policy: UnparsedPolicy = .countAsWrong

    static func policy(_ text: String) throws -> UnparsedPolicy {
        guard let policy = UnparsedPolicy(rawValue: text) else {
            throw ValidationError("--unparsed '\(text)' is not a policy; use count-as-wrong or exclude")
        }
        return policy
    }
}
