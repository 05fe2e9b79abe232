// The libraries' enums as command-line values: ArgumentParser checks them and lists the choices in
// help and in its errors. The conformances live here because libraries do not import ArgumentParser.
import ArgumentParser
import AssayCore
import AssayExport
import AssayInference
import AssayReview
import GGUF

extension TableFormat: ExpressibleByArgument {}
extension TableKind: ExpressibleByArgument {}
extension FigureFormat: ExpressibleByArgument {}
extension ScoresFormat: ExpressibleByArgument {}
extension ExampleSelection: ExpressibleByArgument {}
extension RunMode: ExpressibleByArgument {}
extension TaskKind: ExpressibleByArgument {}
extension EnergyMeterChoice: ExpressibleByArgument {}
extension ReviewOrder: ExpressibleByArgument {}
extension QuantizationTarget: ExpressibleByArgument {}

/// `--server-location local|remote`: only a server's location is the user's to declare; the
/// in-process scope follows from the model.
extension EnergyScope: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "local": self = .localServer
        case "remote": self = .remoteServer
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["local", "remote"] }

    public var defaultValueDescription: String { self == .remoteServer ? "remote" : "local" }
}
