import ArgumentParser
import AssayCore

// Run, prediction and other ids are typed in the libraries; on the command line they are plain numbers.
extension EntityID: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = Int64(argument), value > 0 else { return nil }
        self.init(value)
    }
}
