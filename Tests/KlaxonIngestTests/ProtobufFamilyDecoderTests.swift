import KlaxonIngest
import KlaxonMetrics
import KlaxonTestSupport
import Testing

private typealias PB = ProtobufMessage

/// Hand-built `MetricFamily` messages, each type and each way a body can be broken.
@Suite struct ProtobufFamilyDecoderTests {
    private let decoder = ProtobufFamilyDecoder(labelOverrides: [Label("job", "engine"), Label("instance", "")])

    private func decode(_ families: [PB]) throws(ProtobufDecodeError) -> [ParsedFamily] {
        try decoder.decode(PB.delimited(families))
    }

    /// `name{labels}` → value for every sample, as a user reads them on `/metrics`.
    private func samples(_ families: [ParsedFamily]) -> [String: Double] {
        var result: [String: Double] = [:]
        for sample in families.flatMap(\.samples) { result["\(sample.name)\(sample.labels)"] = sample.value }
        return result
    }

    @Test func counterGaugeAndUntypedBecomeOneSampleEachWithGroupingLabels() throws {
        let families = try decode([
            PB.family("fills_total", type: 0, help: "Fills.", [PB.metric([("venue", "x")], 3, PB.value(3))]),
            PB.family("queue", type: 1, [PB.metric([("job", "mine"), ("instance", "h")], 2, PB.value(-1.5))]),
            PB.family("other", type: 3, [PB.metric([], 5, PB.value(7))]),
        ])
        #expect(families.map(\.name) == ["fills_total", "queue", "other"])
        #expect(families.map(\.type) == [.counter, .gauge, .untyped])
        #expect(families[0].help == "Fills.")
        #expect(
            samples(families) == [
                "fills_total{job=\"engine\", venue=\"x\"}": 3, "queue{job=\"engine\"}": -1.5,
                "other{job=\"engine\"}": 7,
            ])
    }

    @Test func summaryBecomesQuantilesSumAndCount() throws {
        let families = try decode([
            PB.family(
                "latency", type: 2,
                [PB.metric([("op", "a")], 4, PB.summary(count: 4, sum: 2.5, [(0.5, 0.1), (0.99, 1)]))])
        ])
        #expect(families[0].samples.map(\.name) == ["latency", "latency", "latency_sum", "latency_count"])
        #expect(
            samples(families) == [
                "latency{job=\"engine\", op=\"a\", quantile=\"0.5\"}": 0.1,
                "latency{job=\"engine\", op=\"a\", quantile=\"0.99\"}": 1,
                "latency_sum{job=\"engine\", op=\"a\"}": 2.5, "latency_count{job=\"engine\", op=\"a\"}": 4,
            ])
    }

    @Test func histogramGetsAnInfBucketFromItsCountWhenItHasNone() throws {
        let families = try decode([
            PB.family("size", type: 4, [PB.metric([], 7, PB.histogram(count: 9, sum: 12, [(0.005, 1), (1e6, 5)]))])
        ])
        #expect(
            samples(families) == [
                "size_bucket{job=\"engine\", le=\"0.005\"}": 1, "size_bucket{job=\"engine\", le=\"1e+06\"}": 5,
                "size_bucket{job=\"engine\", le=\"+Inf\"}": 9, "size_sum{job=\"engine\"}": 12,
                "size_count{job=\"engine\"}": 9,
            ])
        let withInf = try decode([
            PB.family("size", type: 4, [PB.metric([], 7, PB.histogram(count: 9, sum: 12, [(1, 2), (.infinity, 9)]))])
        ])
        #expect(withInf[0].samples.filter { $0.name == "size_bucket" }.count == 2)
    }

    @Test func timestampIsKeptForThePushPathToRefuse() throws {
        let metric = PB.metric([], 2, PB.value(1)).varint(6, 1_700_000_000_000)
        let families = try decode([PB.family("g", type: 1, [metric])])
        #expect(families[0].samples.first?.timestamp == 1_700_000_000_000)
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        // Fields 99 (varint), 98 (fixed64), 97 (length-delimited) and 125 (fixed32, key 0xED 0x07).
        let unknown: (PB) -> PB = { message in
            message.varint(99, 5).double(98, 1).bytes(97, [1, 2, 3]).raw([0xED, 0x07, 1, 2, 3, 4])
        }
        let label = unknown(PB.label("a", "b"))
        let value = unknown(PB.value(4))
        let metric = unknown(PB().message(1, label).message(2, value))
        let family = unknown(PB.family("g", type: 1, [metric]))
        #expect(samples(try decode([family])) == ["g{a=\"b\", job=\"engine\"}": 4])
    }

    @Test func fieldsMayComeInAnyOrderAndALaterFamilyReplacesAnEarlierOne() throws {
        let metric = PB().message(2, PB.value(2)).message(1, PB.label("a", "b"))
        let family = PB().message(4, metric).varint(3, 1).string(1, "g")
        let families = try decode([PB.family("g", type: 1, [PB.metric([], 2, PB.value(1))]), family])
        #expect(families.count == 1)
        #expect(samples(families) == ["g{a=\"b\", job=\"engine\"}": 2])
    }

    @Test func emptyBodyHasNoFamilies() throws {
        #expect(try decoder.decode([]).isEmpty)
    }

    // MARK: - Refusals

    private static let gauge = PB.metric([], 2, PB.value(1))

    static let broken: [(String, [UInt8], String)] = [
        ("truncated length varint", [0x80], "truncated varint"),
        ("length past the end", [0x05, 0x0A, 0x01], "past the end"),
        ("varint overflow", [0x0B, 0x18] + Array(repeating: 0xFF, count: 9) + [0x02], "overflows 64 bits"),
        (
            "nested length past its message",
            PB.delimited([PB().string(1, "g").raw([0x22, 0x10]).raw(Array(PB.value(1).bytes))])
                + Array(repeating: 0, count: 16),
            "past the end of its enclosing message"
        ),
        ("wrong wire type for name", PB.delimited([PB().varint(1, 3)]), "MetricFamily.name has wire type 0"),
        (
            "wrong wire type for a value", PB.delimited([PB.family("g", type: 1, [PB().varint(2, 1)])]),
            "wire type 0, expected 2"
        ),
        ("group encoding", PB.delimited([PB().string(1, "g").raw([0x5B])]), "group encoding"),
        ("field number zero", PB.delimited([PB().raw([0x00, 0x01])]), "invalid field number 0"),
        ("no name", PB.delimited([PB().varint(3, 1).message(4, gauge)]), "has no name"),
        ("unknown type", PB.delimited([PB.family("g", type: 9, [gauge])]), "unknown type 9"),
        ("gauge histogram", PB.delimited([PB.family("g", type: 5, [gauge])]), "GAUGE_HISTOGRAM"),
        ("value missing for its type", PB.delimited([PB.family("g", type: 0, [gauge])]), "has no counter value"),
        (
            "native histogram", PB.delimited([PB.family("h", type: 4, [PB.metric([], 7, PB().varint(5, 3))])]),
            "family \"h\" is a native histogram (it carries schema)"
        ),
        (
            "duplicate label",
            PB.delimited([PB.family("g", type: 1, [PB.metric([("a", "1"), ("a", "2")], 2, PB.value(1))])]),
            "label \"a\" twice"
        ),
        (
            "explicit le",
            PB.delimited([PB.family("h", type: 4, [PB.metric([("le", "1")], 7, PB.histogram(count: 1, sum: 1, []))])]),
            "explicit \"le\" label"
        ),
        (
            "invalid label name", PB.delimited([PB.family("g", type: 1, [PB.metric([("__x", "1")], 2, PB.value(1))])]),
            "invalid label name \"__x\""
        ),
        (
            "label value not UTF-8",
            PB.delimited([
                PB.family("g", type: 1, [PB().message(1, PB().string(1, "a").bytes(2, [0xFF])).message(2, PB.value(1))])
            ]),
            "not valid UTF-8"
        ),
        (
            "truncated double", PB.delimited([PB.family("g", type: 1, [PB().message(2, PB().raw([0x09, 1, 2]))])]),
            "truncated double"
        ),
    ]

    @Test(arguments: broken)
    func brokenBodiesAreRefusedWithWhatWasWrong(_ name: String, _ body: [UInt8], _ expected: String) {
        #expect(throws: ProtobufDecodeError.self, "\(name)") { try decoder.decode(body) }
        do {
            _ = try decoder.decode(body)
        } catch {
            #expect(error.description.contains(expected), "\(name): \(error.description)")
            #expect(error.offset >= 0 && error.offset <= body.count, "\(name): offset \(error.offset)")
        }
    }

    @Test func bodiesOverTheSizeLimitAreRefused() {
        let small = ProtobufFamilyDecoder(sizeLimit: 4)
        #expect(throws: ProtobufDecodeError.self) {
            try small.decode(PB.delimited([PB.family("g", type: 1, [Self.gauge])]))
        }
    }
}
