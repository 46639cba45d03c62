import KlaxonConfig
import Testing

@Suite struct MappingReaderTests {
    /// Decodes `text` with a reader over `scrape_configs[]` and returns the error sentences.
    private func errors(_ text: String, read: (MappingReader) -> Void) throws -> [String] {
        let diagnostics = ConfigDiagnostics(file: "klaxon.yml")
        let node = try #require(diagnostics.parseDocument(text), "\(diagnostics.errors)")
        let root = try #require(diagnostics.root(node, allowedKeys: ["scrape_configs"]))
        for item in root.sequence("scrape_configs") ?? [] {
            if let reader = item.mapping(allowedKeys: ["job_name", "interval", "port", "ratio", "enabled", "tags"]) {
                read(reader)
            }
        }
        return diagnostics.errors.map(\.description)
    }

    @Test func unknownKeyNamesTheMappingAndTheAllowedKeys() throws {
        let found = try errors("scrape_configs:\n  - job_name: a\n    intervl: 5s\n") { _ in }
        #expect(
            found == [
                "klaxon.yml:3:5: unknown key \"intervl\" in scrape_configs[0]; "
                    + "allowed: job_name, interval, port, ratio, enabled, tags"
            ])
    }

    @Test(arguments: [
        (
            "interval: 5x",
            "klaxon.yml:3:15: scrape_configs[1].interval: invalid duration \"5x\"; write a number and a unit"
        ),
        ("port: \"80\"", "klaxon.yml:3:11: scrape_configs[1].port: expected an integer, got a quoted string \"80\""),
        ("port: 80.5", "klaxon.yml:3:11: scrape_configs[1].port: expected an integer, got \"80.5\""),
        ("port: 70000", "klaxon.yml:3:11: scrape_configs[1].port: 70000 is out of range; allowed: 1…65535"),
        ("ratio: high", "klaxon.yml:3:12: scrape_configs[1].ratio: expected a number, got \"high\""),
        ("enabled: yes", "klaxon.yml:3:14: scrape_configs[1].enabled: expected true or false, got \"yes\""),
        ("tags: {a: 1}", "klaxon.yml:3:11: scrape_configs[1].tags: expected a sequence"),
        ("job_name: [x]", "klaxon.yml:3:15: scrape_configs[1].job_name: expected a string, got a sequence"),
        ("tags: [a, [b]]", "klaxon.yml:3:15: scrape_configs[1].tags[1]: expected a string, got a sequence"),
    ])
    func typedFieldErrorsNamePositionAndPath(field: String, expected: String) throws {
        let text = "scrape_configs:\n  - job_name: ok\n  - \(field)\n"
        let found = try errors(text) { reader in
            _ = reader.string("job_name")
            _ = reader.durationMilliseconds("interval")
            _ = reader.int("port", in: 1...65535)
            _ = reader.double("ratio")
            _ = reader.bool("enabled")
            _ = reader.stringList("tags")
        }
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func typedFieldsDecode() throws {
        let diagnostics = ConfigDiagnostics(file: "x.yml")
        let node = try #require(
            diagnostics.parseDocument("a: 1h\nb: -3\nc: 2.5e3\nd: false\ne: [x, 'y']\nf: {k: v, n: 1, e: }\ng:"))
        let reader = try #require(diagnostics.root(node, allowedKeys: ["a", "b", "c", "d", "e", "f", "g"]))
        #expect(reader.durationMilliseconds("a") == 3_600_000)
        #expect(reader.int("b") == -3)
        #expect(reader.double("c") == 2_500)
        #expect(reader.bool("d") == false)
        #expect(reader.stringList("e") == ["x", "y"])
        #expect(reader.stringMap("f")?.map { "\($0.key)=\($0.value)" } == ["k=v", "n=1", "e="])
        #expect(reader["g"] == nil && !reader.has("g") && !reader.has("zzz"))
        #expect(diagnostics.errors.isEmpty)
    }

    @Test func requiredKeyIsReportedAtTheMapping() throws {
        let found = try errors("scrape_configs:\n  - interval: 5s\n") { reader in
            _ = reader.required("job_name")
        }
        #expect(found == ["klaxon.yml:2:5: missing required key \"job_name\" in scrape_configs[0]"])
    }

    @Test func everyProblemIsReportedNotJustTheFirst() throws {
        let found = try errors("scrape_configs:\n  - port: x\n    bogus: 1\n  - interval: nope\n") { reader in
            _ = reader.int("port")
            _ = reader.durationMilliseconds("interval")
        }
        #expect(found.count == 3, "\(found)")
    }

    @Test func expansionAppliesToValuesAndHidesSecrets() throws {
        let expansion = EnvironmentExpansion(environment: ["PORT": "8080", "TOKEN": "s3cret-token"])
        let diagnostics = ConfigDiagnostics(file: "k.yml", expansion: expansion)
        let node = try #require(diagnostics.parseDocument("port: ${PORT}\nbad: ${TOKEN}\nsecret: ${NOPE}\n"))
        let reader = try #require(diagnostics.root(node, allowedKeys: ["port", "bad", "secret"]))
        #expect(reader.int("port") == 8080)
        #expect(reader.int("bad") == nil)
        #expect(reader.secretString("secret") == nil)
        let text = diagnostics.errors.map(\.description).joined(separator: "\n")
        #expect(!text.contains("s3cret"), "\(text)")
        #expect(
            text.contains(
                "k.yml:2:6: bad: expected an integer, got \"${TOKEN}\" (after expanding environment variables)"))
        #expect(text.contains("k.yml:3:9: secret: environment variable NOPE is not set"))
    }

    @Test func yamlSyntaxErrorsBecomeConfigErrors() {
        let diagnostics = ConfigDiagnostics(file: "k.yml")
        #expect(diagnostics.parseDocument("a: 1\na: 2") == nil)
        #expect(
            diagnostics.errors.map(\.description) == [
                "k.yml:2:1: duplicate key \"a\" (first defined at line 1); each key may appear once"
            ])
        #expect(throws: ConfigErrors.self) { try diagnostics.throwIfFailed() }
    }
}
