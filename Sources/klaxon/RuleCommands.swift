import Foundation
import KlaxonServer

/// Prints what a rule command produced and returns its exit status.
enum RuleCommandPrinter {
    static func print(_ outcome: RuleCommands.Outcome) -> Int32 {
        FileHandle.standardOutput.write(Data(outcome.standardOutput.utf8))
        Terminal.writeError(outcome.standardError)
        return outcome.exitStatus
    }
}
