import KlaxonConfig
import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics
import KlaxonTestSupport
import Testing

@Suite struct PushgatewayHandlerTests {
    private func value(_ fixture: PushFixture, _ series: String) -> Double? {
        exposed(fixture.store)[series].flatMap { Double($0) }
    }

    @Test func putReplacesTheWholeGroupAndSetsPushTime() throws {
        let fixture = try PushFixture()
        #expect(fixture.send("PUT", "/metrics/job/j/instance/a", "m1 1\nm2 2\n").status == .ok)
        #expect(fixture.send("PUT", "/metrics/job/j/instance/a", "m2 20\nm3 30\n").status == .ok)
        let seen = exposed(fixture.store)
        #expect(seen["m1{instance=\"a\",job=\"j\"}"] == nil)
        #expect(seen["m2{instance=\"a\",job=\"j\"}"] == "20")
        #expect(seen["m3{instance=\"a\",job=\"j\"}"] == "30")
        #expect(value(fixture, "push_time_seconds{instance=\"a\",job=\"j\"}") == 1_767_225_600)
        #expect(value(fixture, "push_failure_time_seconds{instance=\"a\",job=\"j\"}") == 0)
    }

    @Test func postReplacesOnlySameNamedFamilies() throws {
        let fixture = try PushFixture()
        _ = fixture.send("PUT", "/metrics/job/j", "m1 1\nm2{x=\"a\"} 2\nm2{x=\"b\"} 3\n")
        fixture.clock.advance(by: 1500)
        #expect(fixture.send("POST", "/metrics/job/j", "m2{x=\"c\"} 4\nm3 5\n").status == .ok)
        let seen = exposed(fixture.store)
        #expect(seen["m1{instance=\"\",job=\"j\"}"] == "1")
        #expect(seen["m2{instance=\"\",job=\"j\",x=\"a\"}"] == nil)
        #expect(seen["m2{instance=\"\",job=\"j\",x=\"b\"}"] == nil)
        #expect(seen["m2{instance=\"\",job=\"j\",x=\"c\"}"] == "4")
        #expect(seen["m3{instance=\"\",job=\"j\"}"] == "5")
        #expect(value(fixture, "push_time_seconds{instance=\"\",job=\"j\"}") == 1_767_225_601.5)
    }

    @Test func deleteRemovesTheGroupOnly() throws {
        let fixture = try PushFixture()
        _ = fixture.send("PUT", "/metrics/job/j/a/1", "m 1\n")
        _ = fixture.send("PUT", "/metrics/job/j", "m 2\n")
        #expect(fixture.send("DELETE", "/metrics/job/j/a/1").status == .accepted)
        let seen = exposed(fixture.store)
        #expect(seen["m{a=\"1\",instance=\"\",job=\"j\"}"] == nil)
        #expect(seen["push_time_seconds{a=\"1\",instance=\"\",job=\"j\"}"] == nil)
        #expect(seen["m{instance=\"\",job=\"j\"}"] == "2")
        #expect(fixture.send("DELETE", "/metrics/job/never").status == .accepted)
    }

    @Test func emptyPutDeletesMetricsButKeepsPushTime() throws {
        let fixture = try PushFixture()
        _ = fixture.send("PUT", "/metrics/job/j", "m 1\n")
        fixture.clock.advance(by: 2000)
        #expect(fixture.send("PUT", "/metrics/job/j", "").status == .ok)
        #expect(exposed(fixture.store)["m{instance=\"\",job=\"j\"}"] == nil)
        #expect(value(fixture, "push_time_seconds{instance=\"\",job=\"j\"}") == 1_767_225_602)
    }

    @Test func groupingLabelsOverrideTheSeriesOwnLabels() throws {
        let fixture = try PushFixture()
        #expect(fixture.send("PUT", "/metrics/job/j/inst/x", "a{inst=\"y\",job=\"other\",k=\"v\"} 1\n").status == .ok)
        #expect(exposed(fixture.store)["a{inst=\"x\",instance=\"\",job=\"j\",k=\"v\"}"] == "1")
    }

    @Test func refusedPushKeepsPreviousValuesAndSetsFailureTime() throws {
        let fixture = try PushFixture()
        _ = fixture.send("PUT", "/metrics/job/j", "m 1\n")
        fixture.clock.advance(by: 1000)
        let response = fixture.send("PUT", "/metrics/job/j", "m 2 1767225600000\n")
        #expect(response.status == .badRequest)
        #expect(String(decoding: response.body, as: UTF8.self).contains("pushed metrics must not have timestamps"))
        #expect(exposed(fixture.store)["m{instance=\"\",job=\"j\"}"] == "1")
        #expect(value(fixture, "push_time_seconds{instance=\"\",job=\"j\"}") == 1_767_225_600)
        #expect(value(fixture, "push_failure_time_seconds{instance=\"\",job=\"j\"}") == 1_767_225_601)
        #expect(fixture.selfMetric("klaxon_rejected_batches_total{path=\"pushgateway\",reason=\"invalid\"}") == "1")
    }

    @Test func refusedFirstPushCreatesTheGroupWithZeroPushTime() throws {
        let fixture = try PushFixture()
        #expect(fixture.send("PUT", "/metrics/job/new", "m 1 1000\n").status == .badRequest)
        #expect(value(fixture, "push_time_seconds{instance=\"\",job=\"new\"}") == 0)
        #expect(value(fixture, "push_failure_time_seconds{instance=\"\",job=\"new\"}") == 1_767_225_600)
    }

    @Test func bodyThatDoesNotParseLeavesTheGroupUntouched() throws {
        let fixture = try PushFixture()
        #expect(fixture.send("PUT", "/metrics/job/new", "m{ 1\n").status == .badRequest)
        #expect(exposed(fixture.store).isEmpty)
    }

    @Test func typeClashWithAnotherGroupIsRefusedWhole() throws {
        let fixture = try PushFixture()
        _ = fixture.send("PUT", "/metrics/job/a", "# TYPE shared gauge\nshared 1\n")
        let response = fixture.send("PUT", "/metrics/job/b", "other 5\n# TYPE shared counter\nshared 1\n")
        #expect(response.status == .badRequest)
        let message = String(decoding: response.body, as: UTF8.self)
        #expect(message.contains("pushed metrics are invalid or inconsistent with existing metrics"))
        #expect(message.contains("shared"))
        #expect(exposed(fixture.store)["other{instance=\"\",job=\"b\"}"] == nil)
        #expect(fixture.selfMetric("klaxon_rejected_batches_total{path=\"pushgateway\",reason=\"conflict\"}") == "1")
    }

    @Test func seriesLimitRefusesThePushWhole() throws {
        let fixture = try PushFixture(maxSeries: 5)
        #expect(fixture.send("PUT", "/metrics/job/a", "m 1\n").status == .ok)
        let response = fixture.send("PUT", "/metrics/job/b", "x 1\ny 2\nz 3\n")
        #expect(response.status == .badRequest)
        #expect(String(decoding: response.body, as: UTF8.self).contains("series limit"))
        #expect(exposed(fixture.store, named: "x").isEmpty)
        #expect(fixture.selfMetric("klaxon_rejected_batches_total{path=\"pushgateway\",reason=\"limit\"}") == "1")
    }

    @Test func duplicateSeriesAfterGroupingIsRefused() throws {
        let fixture = try PushFixture()
        let response = fixture.send("PUT", "/metrics/job/j/inst/c", "y{inst=\"a\"} 1\ny{inst=\"b\"} 2\n")
        #expect(response.status == .badRequest)
        #expect(exposed(fixture.store, named: "y").isEmpty)
    }

    @Test func pushedGroupTimesAreReplacedByTheGateway() throws {
        let fixture = try PushFixture()
        #expect(fixture.send("PUT", "/metrics/job/j", "push_time_seconds 5\nm 1\n").status == .ok)
        #expect(value(fixture, "push_time_seconds{instance=\"\",job=\"j\"}") == 1_767_225_600)
    }

    @Test func protobufOtherThanDelimitedMetricFamiliesIsRefusedWithUnsupportedMediaType() throws {
        let fixture = try PushFixture()
        let response = fixture.send(
            "PUT", "/metrics/job/j", "\u{5}abcde", contentType: "application/vnd.google.protobuf; proto=other.Message")
        #expect(response.status.code == 415)
        #expect(String(decoding: response.body, as: UTF8.self).contains("encoding=delimited"))
    }

    @Test func protobufPushIsDecodedValidatedAndGroupedLikeText() throws {
        let fixture = try PushFixture()
        let body = ProtobufMessage.delimited([
            .family("jobs_total", type: 0, help: "Jobs.", [.metric([("k", "v"), ("job", "x")], 3, .value(3))]),
            .family("lat", type: 4, [.metric([], 7, .histogram(count: 2, sum: 0.5, [(0.1, 1)]))]),
        ])
        let type = ProtobufFamilyDecoder.contentType
        let accepted = fixture.router.handle(
            HTTPRequest(method: "PUT", target: "/metrics/job/j", headers: ["Content-Type": type], body: body))
        #expect(accepted.status == .ok)
        let seen = exposed(fixture.store)
        #expect(seen["jobs_total{instance=\"\",job=\"j\",k=\"v\"}"] == "3")
        #expect(seen["lat_bucket{instance=\"\",job=\"j\",le=\"0.1\"}"] == "1")
        #expect(seen["lat_bucket{instance=\"\",job=\"j\",le=\"+Inf\"}"] == "2")
        #expect(seen["lat_count{instance=\"\",job=\"j\"}"] == "2")
        // A timestamp is refused as in the text path, and nothing of that push is applied.
        let stamped = ProtobufMessage.delimited([
            .family("other", type: 1, [.metric([], 2, .value(1))]),
            .family("g", type: 1, [ProtobufMessage.metric([], 2, .value(1)).varint(6, 1_767_225_600_000)]),
        ])
        let refused = fixture.router.handle(
            HTTPRequest(method: "POST", target: "/metrics/job/j", headers: ["Content-Type": type], body: stamped))
        #expect(refused.status == .badRequest)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("pushed metrics must not have timestamps"))
        #expect(exposed(fixture.store, named: "other").isEmpty)
        let native = ProtobufMessage.delimited([.family("h", type: 4, [.metric([], 7, ProtobufMessage().varint(5, 3))])]
        )
        let nativeResponse = fixture.router.handle(
            HTTPRequest(method: "PUT", target: "/metrics/job/j", headers: ["Content-Type": type], body: native))
        #expect(nativeResponse.status == .badRequest)
        #expect(String(decoding: nativeResponse.body, as: UTF8.self).contains("family \"h\" is a native histogram"))
    }

    @Test func acceptedPushReportsTheSampleNamesItWrote() throws {
        let fixture = try PushFixture()
        let body =
            "# TYPE lat histogram\nlat_bucket{le=\"1\"} 1\nlat_bucket{le=\"+Inf\"} 2\nlat_sum 3\nlat_count 2\nup 1\n"
        #expect(fixture.send("PUT", "/metrics/job/j", body).status == .ok)
        #expect(fixture.send("PUT", "/metrics/job/j", "m 2 1767225600000\n").status == .badRequest)
        #expect(fixture.send("DELETE", "/metrics/job/j").status == .accepted)
        #expect(
            fixture.changes.all == [
                ["lat_bucket", "lat_sum", "lat_count", "up", "push_time_seconds", "push_failure_time_seconds"],
                ["push_time_seconds", "push_failure_time_seconds"],
            ])
    }

    @Test func openMetricsBodyIsReadWhenContentTypeSaysSoAndGetsTheGroupingLabels() throws {
        let fixture = try PushFixture()
        let body = "# TYPE jobs counter\njobs_total{instance=\"mine\",k=\"v\"} 3\n# EOF\n"
        let response = fixture.send(
            "PUT", "/metrics/job/j/instance/x", body, contentType: "application/openmetrics-text; version=1.0.0")
        #expect(response.status == .ok)
        #expect(exposed(fixture.store)["jobs_total{instance=\"x\",job=\"j\",k=\"v\"}"] == "3")
    }

    @Test func parseErrorsNameTheLine() throws {
        let fixture = try PushFixture()
        let response = fixture.send("POST", "/metrics/job/j", "ok 1\nbad{ 1\n")
        #expect(response.status == .badRequest)
        #expect(String(decoding: response.body, as: UTF8.self).contains("line 2"))
        #expect(fixture.selfMetric("klaxon_rejected_batches_total{path=\"pushgateway\",reason=\"parse\"}") == "1")
    }

    @Test func badPathIsRefusedBeforeTheBody() throws {
        let fixture = try PushFixture()
        let response = fixture.send("PUT", "/metrics/job/j/odd", "m 1\n")
        #expect(response.status == .badRequest)
        #expect(String(decoding: response.body, as: UTF8.self).contains("odd number of components"))
    }

    @Test func groupExpiresAfterItsJobsStaleAfter() throws {
        var ingest = IngestConfiguration()
        ingest.pushGroups = [PushGroupOverride(job: "fast", staleAfterMilliseconds: 10_000)]
        let fixture = try PushFixture(ingest: ingest)
        _ = fixture.send("PUT", "/metrics/job/fast", "m 1\n")
        _ = fixture.send("PUT", "/metrics/job/slow", "m 1\n")
        fixture.clock.advance(by: 10_000)
        fixture.store.expireStale(now: fixture.clock.nowMilliseconds())
        #expect(exposed(fixture.store)["m{instance=\"\",job=\"fast\"}"] == nil)
        #expect(exposed(fixture.store)["m{instance=\"\",job=\"slow\"}"] == "1")
    }

    @Test func acceptedSamplesAreCounted() throws {
        let fixture = try PushFixture()
        _ = fixture.send("PUT", "/metrics/job/j", "a 1\nb 2\nc{x=\"1\"} 3\n")
        #expect(fixture.selfMetric("klaxon_ingested_samples_total{path=\"pushgateway\"}") == "3")
    }
}
