import Foundation
import KlaxonServer

// Exit status: 0 success, 1 failure while running, 2 command line not understood.
let command: Command
do {
    command = try CommandLineParser.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    Terminal.writeError("klaxon: \(error.message)\n\n\(HelpText.usage(for: error.topic))\n")
    exit(2)
}

switch command {
case .help(let topic):
    print(HelpText.help(for: topic))
    exit(0)
case .version:
    print(KlaxonVersion.report)
    exit(0)
case .checkConfig(let path):
    exit(CheckConfigCommand.run(path: path, processEnvironment: ProcessInfo.processInfo.environment))
case .checkRules(let paths):
    exit(RuleCommandPrinter.print(RuleCommands.checkRules(paths: paths)))
case .testRules(let paths):
    exit(RuleCommandPrinter.print(RuleCommands.testRules(paths: paths)))
case .alertClient(let client):
    exit(RuleCommandPrinter.print(AlertClient(environment: ProcessInfo.processInfo.environment).run(client)))
case .serve(let options):
    exit(await ServeCommand.run(options, processEnvironment: ProcessInfo.processInfo.environment))
case .demo(let options):
    exit(await ServeCommand.run(options.serve, demo: options, processEnvironment: ProcessInfo.processInfo.environment))
}
