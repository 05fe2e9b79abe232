import ArgumentParser
import AssayCore

// Run, prediction and other ids are typed in the libraries; on the command line they are plain numbers.
extension EntityID: ExpressibleByArgument {}
