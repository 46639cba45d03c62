import KlaxonConfig
import Testing

@Suite struct APIConfigurationTests {
    private func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigErrors) -> KlaxonConfiguration
    {
        try KlaxonConfigurationLoader.parse(text: text, file: "klaxon.yml", environment: environment)
    }

    private func errors(_ text: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(text, environment: environment)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func noTokenByDefault() throws {
        #expect(KlaxonConfiguration.builtIn.api.token == nil)
        #expect(try parse("api: {}\n").api.token == nil)
    }

    @Test func tokenIsReadAndMayComeFromTheEnvironment() throws {
        #expect(try parse("api:\n  token: s3cret-token\n").api.token == "s3cret-token")
        let config = try parse("api:\n  token: ${KLAXON_TOKEN}\n", environment: ["KLAXON_TOKEN": "from-env"])
        #expect(config.api.token == "from-env")
    }

    @Test func emptyOrUnsetTokenIsAnErrorNamingTheKey() {
        let empty = errors("api:\n  token: \"\"\n")
        #expect(empty.count == 1)
        #expect(empty.first?.hasPrefix("klaxon.yml:2:10: api.token: must not be empty") == true)
        let unset = errors("api:\n  token: ${NOPE}\n")
        #expect(unset.first?.contains("api.token: environment variable NOPE is not set") == true)
        #expect(errors("api:\n  token: has space\n").first?.contains("visible ASCII") == true)
    }

    @Test func unknownKeyIsRefused() {
        #expect(errors("api:\n  tokn: x\n").first?.contains("tokn") == true)
    }

    @Test func tokenNeverAppearsInDescriptionsOrErrors() {
        #expect(!"\(APIConfiguration(token: "hunter2")))".contains("hunter2"))
        let problems = errors("api:\n  token: \"hunter2 with space\"\n")
        #expect(!problems.isEmpty)
        #expect(!problems.joined().contains("hunter2"))
    }
}
