import Testing

@testable import KlaxonMetrics

@Suite struct OpenMetricsParserTests {
    private func parse(_ text: String) throws -> [ParsedFamily] {
        try OpenMetricsParser().parse(Array(text.utf8))
    }

    // MARK: - Accepted input

    @Test func familiesCarryMetadataSamplesAndMillisecondTimestamps() throws {
        let families = try parse(
            """
            # TYPE build_seconds counter
            # UNIT build_seconds seconds
            # HELP build_seconds Time spent \\"building\\".\\n
            build_seconds_total{job="ci"} 12.5 1700000000.25 # {trace_id="t1"} 2.5 1700000000.125
            build_seconds_created{job="ci"} 1600000000
            temperature 21.5
            # EOF

            """)
        #expect(families.map(\.name) == ["build_seconds", "temperature"])
        #expect(families.map(\.type) == [.counter, .unknown])
        let counter = families[0]
        #expect(counter.unit == "seconds")
        #expect(counter.help == "Time spent \"building\".\n")
        let total = counter.samples[0]
        #expect(total.name == "build_seconds_total" && total.value == 12.5)
        #expect(total.timestamp == 1_700_000_000_250)
        #expect(
            total.exemplar
                == Exemplar(labels: Labels([Label("trace_id", "t1")]), value: 2.5, timestamp: 1_700_000_000.125))
        #expect(counter.samples[1].name == "build_seconds_created")
    }

    @Test func histogramWithExemplarsParses() throws {
        let family = try #require(
            try parse(
                """
                # TYPE rpc histogram
                rpc_bucket{le="0.5"} 1 # {id="a"} 0.2
                rpc_bucket{le="+Inf"} 4
                rpc_count 4
                rpc_sum 3.5
                # EOF
                """
            ).first)
        #expect(family.samples.map(\.name) == ["rpc_bucket", "rpc_bucket", "rpc_count", "rpc_sum"])
        #expect(family.samples[0].exemplar?.value == 0.2)
    }

    @Test func labelValuesKeepUnknownEscapes() throws {
        let sample = try #require(try parse("a{x=\"\\q\\\\\\\"\"} 1\n# EOF\n").first?.samples.first)
        #expect(sample.labels["x"] == "\\q\\\"")
    }

    // MARK: - Refusals and their positions

    struct Refusal: CustomTestStringConvertible, Sendable {
        let input: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { message }
    }

    static let refusals: [Refusal] = [
        Refusal(input: "a 1\n", line: 2, column: 1, message: "missing \"# EOF\""),
        Refusal(input: "a 1\n\n# EOF\n", line: 2, column: 1, message: "blank line"),
        Refusal(input: "# EOF\na 1\n", line: 2, column: 1, message: "text after \"# EOF\""),
        Refusal(input: "a  1\n# EOF\n", line: 1, column: 3, message: "invalid value"),
        Refusal(input: "a 1 1e\n# EOF\n", line: 1, column: 5, message: "invalid timestamp"),
        Refusal(
            input: "# TYPE a counter\na 1\n# EOF\n", line: 2, column: 1, message: "must be named a_total, a_created"),
        Refusal(input: "# TYPE a counter\na_total -1\n# EOF\n", line: 2, column: 9, message: "must not be negative"),
        Refusal(
            input: "# TYPE a gauge\na 1 # {x=\"y\"} 1\n# EOF\n", line: 2, column: 5,
            message: "exemplars are allowed only"),
        Refusal(
            input: "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n# EOF\n",
            line: 3, column: 1, message: "counts less than the one before"),
        Refusal(
            input: "# TYPE h histogram\nh_bucket{le=\"1\"} 2\n# EOF\n", line: 3, column: 1,
            message: "no le=\"+Inf\" bucket"),
        Refusal(input: "a{x=\"1\"} 1\nb 1\na{x=\"2\"} 1\n# EOF\n", line: 3, column: 1, message: "repeats or clashes"),
        Refusal(
            input: "a{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 1\n# EOF\n", line: 3, column: 1, message: "not contiguous"),
        Refusal(input: "a 1 5\na 1 4\n# EOF\n", line: 2, column: 1, message: "go back in time"),
        Refusal(input: "# UNIT a_bytes seconds\n# EOF\n", line: 1, column: 16, message: "must end with \"_seconds\""),
        Refusal(input: "a{x=\"1\",} 1\n# EOF\n", line: 1, column: 9, message: "invalid label name"),
        Refusal(input: "# comment\n# EOF\n", line: 1, column: 1, message: "unknown line starting with '#'"),
    ]

    @Test(arguments: refusals)
    func refusesWithPosition(_ refusal: Refusal) throws {
        let error = try #require(throws: TextFormatParseError.self) { try parse(refusal.input) }
        #expect(error.line == refusal.line, "\(error)")
        #expect(error.column == refusal.column, "\(error)")
        #expect(error.message.contains(refusal.message), "\(error)")
    }

    @Test func exemplarLabelsAreLimitedTo128Characters() throws {
        let fits = String(repeating: "é", count: 127)
        #expect(throws: Never.self) { try parse("# TYPE c counter\nc_total 1 # {a=\"\(fits)\"} 1\n# EOF\n") }
        let error = try #require(throws: TextFormatParseError.self) {
            try parse("# TYPE c counter\nc_total 1 # {a=\"\(fits)é\"} 1\n# EOF\n")
        }
        #expect(error.message.contains("129 characters"))
    }

    @Test func sizeLimitIsEnforced() throws {
        let parser = OpenMetricsParser(sizeLimit: 10)
        #expect(throws: TextFormatParseError.self) { try parser.parse(Array("a 1\nb 2\n# EOF\n".utf8)) }
        #expect(try parser.parse(Array("a 1\n# EOF\n".utf8)).count == 1)
    }
}
