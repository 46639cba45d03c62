/// The command line could not be understood. `klaxon` prints the message, then the usage of
/// `topic`, on standard error and exits with status 2.
package struct CommandLineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong, naming the offending argument and what is allowed instead.
    package let message: String
    /// Whose usage to print after the message.
    package let topic: HelpTopic

    package init(_ message: String, topic: HelpTopic) {
        self.message = message
        self.topic = topic
    }

    package var description: String { message }
}
