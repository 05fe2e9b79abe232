// The export formats as command-line values.
import ArgumentParser
import AssayExport

extension TableFormat: ExpressibleByArgument {}
extension FigureFormat: ExpressibleByArgument {}
extension ScoresFormat: ExpressibleByArgument {}
extension ExampleSelection: ExpressibleByArgument {}
