import Testing

@testable import KlaxonMetrics

@Suite struct TextFormatParserTests {
    private func parse(_ text: String, _ validation: TextFormatParser.NameValidation = .utf8) throws -> [ParsedFamily] {
        try TextFormatParser(nameValidation: validation).parse(Array(text.utf8))
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
        Refusal(
            input: "a 1\nb{l=\"x\\q\"} 1\n", line: 2, column: 7,
            message: "invalid escape sequence \"\\q\" in label value"),
        Refusal(input: "a{l=\"x\"\n", line: 1, column: 8, message: "expected ',' or '}'"),
        Refusal(input: "a{l=\"x} 1\n", line: 1, column: 10, message: "contains an unescaped new-line"),
        Refusal(input: "a{1l=\"x\"} 1\n", line: 1, column: 3, message: "invalid label name"),
        Refusal(input: "a{l=\"1\",m=\"2\",l=\"3\"} 1\n", line: 1, column: 15, message: "duplicate label names"),
        Refusal(input: "a{__name__=\"b\"} 1\n", line: 1, column: 3, message: "\"__name__\" is reserved"),
        Refusal(input: "a 1 2 3\n", line: 1, column: 7, message: "spurious string after timestamp"),
        Refusal(input: "a 1 1.5\n", line: 1, column: 5, message: "expected integer as timestamp"),
        Refusal(input: "a 1 9223372036854775808\n", line: 1, column: 5, message: "expected integer as timestamp"),
        Refusal(input: "a 1e400\n", line: 1, column: 3, message: "expected float as value"),
        Refusal(input: "a +NaN\n", line: 1, column: 3, message: "expected float as value"),
        Refusal(input: "a\n", line: 1, column: 2, message: "expected float as value"),
        Refusal(input: "a 1\nb 2", line: 2, column: 4, message: "must end with a new-line"),
        Refusal(input: "# TYPE a gauge\n# TYPE a gauge\n", line: 2, column: 10, message: "second TYPE line"),
        Refusal(input: "a 1\n# TYPE a gauge\n", line: 2, column: 10, message: "TYPE reported after samples"),
        Refusal(input: "# HELP a x\n# HELP a y\n", line: 2, column: 10, message: "second HELP line"),
        Refusal(input: "# TYPE a meter\n", line: 1, column: 10, message: "unknown metric type \"meter\""),
        Refusal(input: "# TYPE a- gauge\n", line: 1, column: 9, message: "invalid metric name in comment"),
        Refusal(input: "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", line: 2, column: 13, message: "'le' label"),
        Refusal(input: "# TYPE h histogram\nh_count -1\n", line: 2, column: 9, message: "negative count"),
        Refusal(input: "{\"a\",\"b\"} 1\n", line: 1, column: 6, message: "multiple metric names"),
        Refusal(input: "{l=\"v\"} 1\n", line: 1, column: 1, message: "no metric name"),
        Refusal(input: "ü 1\n", line: 1, column: 1, message: "invalid metric name"),
        Refusal(input: "a{l=\"é\\x\"} 1\n", line: 1, column: 7, message: "invalid escape sequence \"\\x\""),
    ]

    @Test(arguments: refusals)
    func refusesWithPosition(_ refusal: Refusal) throws {
        let error = try #require(throws: TextFormatParseError.self) { try parse(refusal.input) }
        #expect(error.line == refusal.line, "\(error)")
        #expect(error.column == refusal.column, "\(error)")
        #expect(error.message.contains(refusal.message), "\(error)")
    }

    @Test func errorDescriptionNamesLineAndColumn() throws {
        let error = try #require(throws: TextFormatParseError.self) {
            try parse("# comment\n\nmetric{a=\"b\",c=\"\\q\"} 1\n")
        }
        #expect(error.description.hasPrefix("line 3, column 17: invalid escape sequence \"\\q\" in label value"))
    }

    @Test func sizeLimitIsEnforcedWithPosition() throws {
        let parser = TextFormatParser(sizeLimit: 8)
        let error = try #require(throws: TextFormatParseError.self) { try parser.parse(Array("a 1\nbb 22\n".utf8)) }
        #expect((error.line, error.column) == (2, 5))
        #expect(error.message.contains("limit of 8 bytes"))
        #expect(try parser.parse(Array("a 1\nb 2\n".utf8)).count == 2)
    }

    // MARK: - Accepted input

    @Test(arguments: [
        ("1", 1.0), ("-3e3", -3000), ("+Inf", .infinity), ("-inf", -.infinity), ("Infinity", .infinity),
        (".5", 0.5), ("5.", 5), ("08", 8), ("1.7560473e+06", 1_756_047.3), ("0.1", 0.1),
        ("123456789012345678901", 1.2345678901234568e20),
        ("5e-324", .leastNonzeroMagnitude),
    ])
    func valuesFollowGoFloatSyntax(_ text: String, _ expected: Double) throws {
        let sample = try #require(try parse("a \(text)\n").first?.samples.first)
        #expect(sample.value == expected)
    }

    @Test func nanAndTimestampsParse() throws {
        let samples = try parse("a NaN -5\nb 1 1700000000123\n").flatMap(\.samples)
        #expect(samples[0].value.isNaN && samples[0].timestamp == -5)
        #expect(samples[1].timestamp == 1_700_000_000_123)
    }

    @Test func histogramAndSummarySuffixesJoinTheirFamily() throws {
        let families = try parse(
            """
            # HELP h Latency.
            # TYPE h histogram
            h_bucket{le="1"} 2
            h_bucket{le="+Inf"} 3
            h_sum 4.5
            h_count 3
            # TYPE s summary
            s{quantile="0.5"} 1
            s_sum 2
            s_count 3
            s_bucket 4
            u_sum 1

            """)
        #expect(families.map(\.name) == ["h", "s", "s_bucket", "u_sum"])
        #expect(families.map(\.type) == [.histogram, .summary, .untyped, .untyped])
        #expect(families[0].samples.map(\.name) == ["h_bucket", "h_bucket", "h_sum", "h_count"])
        #expect(families[0].help == "Latency.")
        #expect(families[1].samples.count == 3)
    }

    @Test func linesExpfmtCannotFileAreDropped() throws {
        let families = try parse(
            "# TYPE s summary\ns 1\ns{quantile=\"0.9\"} 2\n"
                + "# TYPE h histogram\nh_bucket 3\nh_bucket{le=\"1\"} 4\nh_sum 5\n")
        #expect(families.map { $0.samples.map(\.value) } == [[2], [4, 5]])
    }

    @Test func quotedMetricNameMayPrecedeTheBraces() throws {
        let sample = try #require(try parse("\"a.b\"{c=\"d\"} 1\n\"e.f\" 2\n").first?.samples.first)
        #expect(sample.name == "a.b" && sample.labels["c"] == "d")
        #expect(throws: TextFormatParseError.self) { try parse("\"a.b\"{\"c.d\"} 1\n") }
    }

    @Test func samplesOfAFamilyNeedNotBeContiguous() throws {
        let families = try parse("a{x=\"1\"} 1\nb 2\na{x=\"2\"} 3\n")
        #expect(families.map(\.name) == ["a", "b"])
        #expect(families[0].samples.map(\.value) == [1, 3])
    }

    @Test func labelsAreUnescapedSortedAndEmptyValuesDropped() throws {
        let sample = try #require(try parse("m { z=\"q\\\"\\\\\\n\" , a=\"1\", e=\"\", } 7\n").first?.samples.first)
        #expect(sample.labels.pairs == [Label("a", "1"), Label("z", "q\"\\\n")])
        #expect(sample.seriesLabels.metricName == "m")
    }

    @Test func quotedNamesNeedUTF8Validation() throws {
        let text = "# TYPE \"a.b\" counter\n{\"a.b\",\"c.d\"=\"x\"} 1\n"
        let family = try #require(try parse(text).first)
        #expect(family.name == "a.b" && family.type == .counter)
        #expect(family.samples.first?.labels["c.d"] == "x")
        #expect(throws: TextFormatParseError.self) { try parse(text, .legacy) }
    }

    @Test func blankLinesCommentsAndLeadingBlanksAreFine() throws {
        let families = try parse("\n  # just a comment\n# HELP\n\t a 1\n \t a 2 3\n   ")
        #expect(families.first?.samples.count == 2)
        #expect(try parse("").isEmpty)
    }

    @Test(arguments: [
        ("a 1 \n", "expected integer as timestamp"), ("a 1 2 \n", "spurious string after timestamp"),
        ("# TYPE a gauge \n", "unknown metric type"),
        ("# HELP a x\\q\n", "invalid escape sequence \"\\q\" in help text"),
    ])
    func trailingBlanksAndUnknownHelpEscapesAreRefusedAsExpfmtDoes(_ text: String, _ message: String) throws {
        let error = try #require(throws: TextFormatParseError.self) { try parse(text) }
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func helpDecodesEscapes() throws {
        let family = try #require(try parse("# HELP a x\\\\y\\nz\\\"\na 1\n").first)
        #expect(family.help == "x\\y\nz\"")
    }

    @Test func labelOverridesAreSetOnEverySample() throws {
        let parser = TextFormatParser(
            labelOverrides: [Label("job", "j"), Label("instance", ""), Label("zone", "a"), Label("zone", "b")])
        let families = try parser.parse(Array("a{job=\"own\",instance=\"i\",k=\"\"} 1\nb{m=\"x\"} 2\nc 3\n".utf8))
        #expect(
            families.flatMap(\.samples).map(\.labels.description) == [
                "{job=\"j\", zone=\"b\"}", "{job=\"j\", m=\"x\", zone=\"b\"}", "{job=\"j\", zone=\"b\"}",
            ])
    }
}
