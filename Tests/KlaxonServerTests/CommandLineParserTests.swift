import KlaxonConfig
import KlaxonRuntime
import KlaxonServer
import Testing

@Suite struct CommandLineParserTests {
    // MARK: - Accepted command lines

    @Test(arguments: [
        (["serve"], Command.serve(ServeOptions())),
        (
            [
                "serve", "--config", "klaxon.yml", "--listen", "0.0.0.0:9477", "--data", "/var/lib/klaxon",
                "--env", "staging", "--log-format", "json", "--log-level", "debug",
            ],
            .serve(
                ServeOptions(
                    configPath: "klaxon.yml", listen: HostPort(host: "0.0.0.0", port: 9477),
                    dataDirectory: "/var/lib/klaxon", environment: .staging, logFormat: .json, logLevel: .debug))
        ),
        (
            ["serve", "--listen=127.0.0.1:1", "--log-level=warn"],
            .serve(ServeOptions(listen: HostPort(host: "127.0.0.1", port: 1), logLevel: .warning))
        ),
        (["serve", "--listen", ":9477"], .serve(ServeOptions(listen: HostPort(host: "", port: 9477)))),
        (["serve", "--listen", "[::1]:65535"], .serve(ServeOptions(listen: HostPort(host: "::1", port: 65535)))),
        (
            ["serve", "--listen", "localhost:80"],
            .serve(ServeOptions(listen: HostPort(host: "localhost", port: 80)))
        ),
        (["check", "config", "klaxon.yml"], .checkConfig(path: "klaxon.yml")),
        (["check", "rules", "a.yml", "b.yml"], .checkRules(paths: ["a.yml", "b.yml"])),
        (["test", "rules", "t.yml"], .testRules(paths: ["t.yml"])),
        (["test", "--help"], .help(.test)),
        (["test", "rules", "t.yml", "-h"], .help(.test)),
        (["version"], .version),
        (["--version"], .version),
        (["help"], .help(.general)),
        (["--help"], .help(.general)),
        (["-h"], .help(.general)),
        (["help", "serve"], .help(.serve)),
        (["help", "check"], .help(.check)),
        (["serve", "--help"], .help(.serve)),
        (["serve", "--bogus", "-h"], .help(.serve)),
        (["check", "--help"], .help(.check)),
        (["check", "config", "x.yml", "-h"], .help(.check)),
        (["version", "-h"], .help(.version)),
    ])
    func parses(arguments: [String], expected: Command) throws {
        #expect(try CommandLineParser.parse(arguments) == expected)
    }

    // MARK: - Refused command lines

    @Test(arguments: [
        ([String](), "no command given", HelpTopic.general),
        (["frobnicate"], "unknown command 'frobnicate'", .general),
        (["--frobnicate"], "unknown option '--frobnicate'", .general),
        (["serve", "--bogus"], "unknown option '--bogus' for 'klaxon serve'", .serve),
        (["serve", "--bogus=1"], "unknown option '--bogus' for 'klaxon serve'", .serve),
        (["serve", "-x"], "unknown option '-x' for 'klaxon serve'", .serve),
        (["serve", "extra"], "unknown argument 'extra' for 'klaxon serve'", .serve),
        (["serve", "--listen"], "option '--listen' needs a value: HOST:PORT", .serve),
        (["serve", "--listen", "--env", "dev"], "option '--listen' needs a value", .serve),
        (["serve", "--listen="], "option '--listen' needs a value", .serve),
        (["serve", "--listen", "9477"], "invalid value '9477' for '--listen'", .serve),
        (["serve", "--listen", "127.0.0.1:0"], "invalid value '127.0.0.1:0'", .serve),
        (["serve", "--listen", "127.0.0.1:65536"], "invalid value '127.0.0.1:65536'", .serve),
        (["serve", "--listen", "127.0.0.1:+80"], "invalid value '127.0.0.1:+80'", .serve),
        (["serve", "--listen", "::1:9477"], "invalid value '::1:9477'", .serve),
        (["serve", "--listen", "[::1]9477"], "invalid value '[::1]9477'", .serve),
        (["serve", "--listen", "host name:1"], "invalid value 'host name:1'", .serve),
        (
            ["serve", "--env", "production"], "invalid value 'production' for '--env': expected prod, staging or dev",
            .serve
        ),
        (["serve", "--log-format", "xml"], "invalid value 'xml' for '--log-format': expected logfmt or json", .serve),
        (["serve", "--log-level", "trace"], "invalid value 'trace' for '--log-level'", .serve),
        (["serve", "--env", "dev", "--env", "prod"], "option '--env' given more than once", .serve),
        (["check"], "missing what to check", .check),
        (["check", "bogus"], "unknown check 'bogus'", .check),
        (["check", "rules"], "missing FILE for 'klaxon check rules FILE...'", .check),
        (["check", "rules", "--strict", "a.yml"], "unknown option '--strict' for 'klaxon check rules'", .check),
        (["test"], "missing 'rules'", .test),
        (["test", "alerts", "a.yml"], "unknown argument 'alerts' for 'klaxon test'", .test),
        (["test", "rules"], "missing FILE for 'klaxon test rules FILE...'", .test),
        (["check", "config"], "missing FILE", .check),
        (["check", "config", "--strict"], "unknown option '--strict'", .check),
        (["check", "config", "a.yml", "b.yml"], "unexpected argument 'b.yml'", .check),
        (["version", "--short"], "unexpected argument '--short' for 'klaxon version'", .version),
        (["help", "frobnicate"], "no help for 'frobnicate'", .general),
        (["help", "serve", "check"], "unexpected argument 'check'", .general),
    ])
    func refuses(arguments: [String], message: String, topic: HelpTopic) {
        #expect {
            try CommandLineParser.parse(arguments)
        } throws: { error in
            guard let error = error as? CommandLineError else { return false }
            return error.message.contains(message) && error.topic == topic
        }
    }

    @Test func overlongArgumentIsRefusedWithTheLimit() {
        let path = String(repeating: "a", count: CommandLineParser.maximumArgumentLength + 1)
        #expect(throws: CommandLineError.self) { try CommandLineParser.parse(["serve", "--data", path]) }
    }

    // MARK: - Listen address and external URL

    @Test func listenIsParsedAsServerListenIsAndSaysWhatIsWrong() {
        #expect {
            try CommandLineParser.parse(["serve", "--listen", "::1:9477"])
        } throws: { error in
            (error as? CommandLineError)?.message
                == "invalid value '::1:9477' for '--listen': write an IPv6 address in brackets, e.g. [::1]:9477"
        }
    }

    @Test func externalURLIsCheckedAndKeptWithoutItsTrailingSlash() throws {
        #expect(
            try CommandLineParser.parse(["serve", "--web.external-url", "https://klaxon.example.com/ops/"])
                == .serve(ServeOptions(externalURL: "https://klaxon.example.com/ops")))
        #expect {
            try CommandLineParser.parse(["serve", "--web.external-url", "klaxon.example.com"])
        } throws: { error in
            (error as? CommandLineError)?.message.contains("must start with http:// or https://") == true
        }
    }

    // MARK: - Help text

    @Test(arguments: HelpTopic.allCases)
    func everyHelpTextShowsItsUsage(topic: HelpTopic) {
        #expect(HelpText.help(for: topic).contains("usage: klaxon"))
        #expect(HelpText.usage(for: topic).hasPrefix("usage: klaxon"))
    }
}
