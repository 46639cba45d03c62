import KlaxonConfig
import Testing

@Suite struct EnvironmentExpansionTests {
    let expansion = EnvironmentExpansion(environment: ["HOST": "db.local", "PORT": "5432", "EMPTY": ""])

    @Test(arguments: [
        ("plain", "plain"), ("${HOST}:${PORT}", "db.local:5432"), ("cost: $$5", "cost: $5"),
        ("${MISSING:-fallback}", "fallback"), ("${EMPTY:-used}", "used"), ("${EMPTY}", ""),
        ("${MISSING:-}", ""), ("$HOST stays", "$HOST stays"), ("trailing $", "trailing $"),
        ("{{ $labels.job }}", "{{ $labels.job }}"), ("${HOST:-x}", "db.local"),
    ])
    func expands(input: String, expected: String) throws {
        #expect(try expansion.expand(input) == expected)
    }

    @Test(arguments: [
        ("${MISSING}", ExpansionError.unset("MISSING")), ("${", .unterminated), ("${1A}", .invalidName("1A")),
        ("${A-B}", .invalidName("A-B")), ("${}", .invalidName("")),
    ])
    func refuses(input: String, expected: ExpansionError) {
        #expect(throws: expected) { try expansion.expand(input) }
    }

    @Test func unsetVariableErrorNamesTheVariable() {
        #expect(
            ExpansionError.unset("TOKEN").description
                == "environment variable TOKEN is not set; set it or give a default with ${TOKEN:-default}")
    }
}
