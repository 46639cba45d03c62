// MARK: - check rules / test rules

extension CommandLineParser {
    /// Parses `check rules FILE…` (arguments start at `rules`) and `test rules FILE…`.
    static func parseRuleFiles(_ arguments: [String], command: String) throws(CommandLineError) -> Command {
        let topic: HelpTopic = command == "check" ? .check : .test
        if arguments.contains(where: isHelpFlag) { return .help(topic) }
        guard arguments.first == "rules" else {
            let what = arguments.first.map { "unknown argument '\($0)' for 'klaxon \(command)'" } ?? "missing 'rules'"
            throw CommandLineError("\(what); use 'klaxon \(command) rules FILE...'", topic: topic)
        }
        let paths = Array(arguments.dropFirst())
        if let option = paths.first(where: { $0.hasPrefix("-") }) {
            throw CommandLineError("unknown option '\(option)' for 'klaxon \(command) rules'", topic: topic)
        }
        guard !paths.isEmpty else {
            throw CommandLineError("missing FILE for 'klaxon \(command) rules FILE...'", topic: topic)
        }
        return command == "check" ? .checkRules(paths: paths) : .testRules(paths: paths)
    }
}

extension HelpText {
    static let ruleCheckHelp = """
        reads each Prometheus rule file and prints 'Checking FILE' then 'SUCCESS: N rules found'
          or every problem as FILE:LINE:COLUMN: message. Besides Prometheus's own checks, every
          alerting rule needs a literal severity label P0, P1, P2 or P3. Expressions are Prometheus
          2.42's PromQL, subqueries and @ included. Exit status 0 when all files are valid, 1 otherwise.
        """

    static let ruleTestUsage = """
        usage: klaxon test rules FILE...
        Run 'klaxon test --help' for details.
        """

    static let ruleTestHelp = """
        usage: klaxon test rules FILE...

        Runs promtool-format rule unit tests (the files 'promtool test rules' reads) and prints
        the results as promtool does: 'Unit Testing:  FILE' then 'SUCCESS', or 'FAILED:' and each
        failure on standard error. Rule files are checked as Prometheus checks them (no severity
        policy); a subquery without a step runs at the file's evaluation_interval, as promtool
        runs it. Exit status 0 when every test passes, 1 otherwise.

        options:
          -h, --help   print this help
        """
}
