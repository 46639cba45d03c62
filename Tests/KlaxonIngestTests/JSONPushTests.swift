import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics
import Testing

@Suite struct JSONPushTests {
    @Test func acceptedBatchIsStoredAndCounted() throws {
        let fixture = try PushFixture()
        let body = """
            {"job": "engine", "labels": {"env": "prod"}, "samples": [
              {"name": "fills_total", "labels": {"venue": "x"}, "value": 3, "type": "counter", "help": "Fills."},
              {"name": "spread", "labels": {"venue": "x"}, "value": -0.5},
              {"name": "spread", "labels": {"venue": "y"}, "value": "NaN"},
              {"name": "limit", "value": "+Inf", "type": "gauge"}
            ]}
            """
        let response = fixture.send("POST", "/api/v1/push", body)
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"status\":\"success\",\"samples\":4}")
        let seen = exposed(fixture.store)
        #expect(seen["fills_total{env=\"prod\",job=\"engine\",venue=\"x\"}"] == "3")
        #expect(seen["spread{env=\"prod\",job=\"engine\",venue=\"x\"}"] == "-0.5")
        #expect(seen["spread{env=\"prod\",job=\"engine\",venue=\"y\"}"] == "NaN")
        #expect(seen["limit{env=\"prod\",job=\"engine\"}"] == "+Inf")
        #expect(fixture.selfMetric("klaxon_ingested_samples_total{path=\"json\"}") == "4")
        #expect(fixture.changes.all == [["fills_total", "spread", "limit"]])
        #expect(fixture.send("POST", "/api/v1/push", "{\"samples\": [{\"name\": \"x\"}]}").status == .badRequest)
        #expect(fixture.changes.all.count == 1, "a refused batch changes nothing")
    }

    @Test func familiesWithoutHelpGetTheDefaultHelpText() throws {
        let fixture = try PushFixture()
        let body = """
            {"job": "e", "samples": [
              {"name": "spread", "labels": {"venue": "x"}, "value": 1},
              {"name": "fills_total", "value": 3, "type": "counter"},
              {"name": "fills_total", "labels": {"venue": "y"}, "value": 4, "help": "Fills."}
            ]}
            """
        #expect(fixture.send("POST", "/api/v1/push", body).status == .ok)
        let text = String(decoding: ExpositionWriter.render(fixture.store.snapshot(), format: .text), as: UTF8.self)
        #expect(text.contains("# HELP spread Pushed to Klaxon through /api/v1/push.\n"))
        #expect(text.contains("# HELP fills_total Fills.\n"))
        #expect(!text.contains("# HELP fills_total Pushed"))
    }

    @Test func appendKeepsTheProducersOtherSeries() throws {
        let fixture = try PushFixture()
        _ = fixture.send("POST", "/api/v1/push", #"{"job":"e","samples":[{"name":"a","value":1}]}"#)
        _ = fixture.send("POST", "/api/v1/push", #"{"job":"e","samples":[{"name":"b","value":2}]}"#)
        #expect(exposed(fixture.store)["a{job=\"e\"}"] == "1")
        #expect(exposed(fixture.store)["b{job=\"e\"}"] == "2")
    }

    @Test func explicitTimestampIsMilliseconds() throws {
        let fixture = try PushFixture()
        let response = fixture.send(
            "POST", "/api/v1/push", #"{"samples":[{"name":"t","value":1,"timestamp":1767225599000}]}"#)
        #expect(response.status == .ok)
        let series = fixture.store.select(
            [try LabelMatcher("__name__", .equal, "t")], start: 0, end: .max)
        #expect(series.first?.samples == [Sample(timestamp: 1_767_225_599_000, value: 1)])
    }

    @Test(arguments: [
        (#"{"samples":[{"name":"a","value":1},"#, "invalid JSON at line 1, column 36"),
        (#"[1]"#, "expected an object with a \"samples\" array"),
        (#"{"samples":[], "extra": 1}"#, "unknown field \"extra\""),
        (#"{}"#, "samples: is required"),
        (#"{"samples":{}}"#, "samples: expected an array"),
        (#"{"samples":[1]}"#, "samples[0]: expected an object"),
        (#"{"samples":[{"value":1}]}"#, "samples[0].name: is required"),
        (#"{"samples":[{"name":"a-b","value":1}]}"#, "samples[0].name: invalid metric name \"a-b\""),
        (
            #"{"samples":[{"name":"a","value":1},{"name":"a","value":"abc"}]}"#,
            "samples[1].value: expected a number (or \"NaN\", \"+Inf\", \"-Inf\"), got \"abc\""
        ),
        (#"{"samples":[{"name":"a","value":true}]}"#, "samples[0].value: expected a number"),
        (#"{"samples":[{"name":"a"}]}"#, "samples[0].value: is required"),
        (#"{"samples":[{"name":"a","value":1,"labels":{"__x":"1"}}]}"#, "samples[0].labels.__x: invalid label name"),
        (#"{"samples":[{"name":"a","value":1,"labels":{"x":1}}]}"#, "samples[0].labels.x: expected a string, got 1"),
        (#"{"samples":[{"name":"a","value":1,"timestamp":1767225600}]}"#, "this looks like seconds"),
        (
            #"{"samples":[{"name":"a","value":1,"timestamp":1767225600000.5}]}"#,
            "samples[0].timestamp: expected integer"
        ),
        (
            #"{"samples":[{"name":"a","value":1,"type":"histogram"}]}"#,
            "samples[0].type: expected one of gauge, counter, untyped"
        ),
        (
            #"{"samples":[{"name":"a","value":1,"type":"gauge"},{"name":"a","labels":{"x":"1"},"value":2,"type":"counter"}]}"#,
            "samples[1].type: \"counter\" conflicts with \"gauge\" given for a at samples[0].type"
        ),
        (
            #"{"samples":[{"name":"a","value":1,"labels":{"x":"1"}},{"name":"a","value":2,"labels":{"x":"1"}}]}"#,
            "samples[1]: series a{x=\"1\"} appears twice in the batch (first at samples[0])"
        ),
        (#"{"job":"","samples":[]}"#, "job: expected a non-empty string"),
        (#"{"samples":[{"name":"a","name":"b","value":1}]}"#, "samples[0].name: appears twice"),
    ])
    func refusedBatchNamesTheFieldAndAppliesNothing(body: String, fragment: String) throws {
        let fixture = try PushFixture()
        let prefix = #"{"samples":[{"name":"keep","value":7}]}"#
        #expect(fixture.send("POST", "/api/v1/push", prefix).status == .ok)
        let response = fixture.send("POST", "/api/v1/push", body)
        #expect(response.status == .badRequest)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.hasPrefix("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"))
        #expect(text.contains(fragment.replacingOccurrences(of: "\"", with: "\\\"")), "\(text)")
        let seen = exposed(fixture.store)
        #expect(seen.keys.filter { $0 != "keep" }.isEmpty)
        #expect(seen["keep"] == "7")
    }

    @Test func typeClashWithStoredFamilyIsRefused() throws {
        let fixture = try PushFixture()
        _ = fixture.send("PUT", "/metrics/job/j", "# TYPE g gauge\ng 1\n")
        let response = fixture.send(
            "POST", "/api/v1/push", #"{"samples":[{"name":"g","labels":{"a":"b"},"value":1,"type":"counter"}]}"#)
        #expect(response.status == .badRequest)
        #expect(String(decoding: response.body, as: UTF8.self).contains("metric family g is already stored as gauge"))
        #expect(fixture.selfMetric("klaxon_rejected_batches_total{path=\"json\",reason=\"conflict\"}") == "1")
    }

    @Test func untypedSampleJoinsAStoredFamily() throws {
        let fixture = try PushFixture()
        _ = fixture.send("PUT", "/metrics/job/j", "# TYPE c counter\nc_total 1\n")
        let response = fixture.send(
            "POST", "/api/v1/push", #"{"samples":[{"name":"c_total","labels":{"a":"b"},"value":4}]}"#)
        #expect(response.status == .ok)
        #expect(exposed(fixture.store)["c_total{a=\"b\"}"] == "4")
    }

    @Test func tooManySamplesAreRefusedAsTooLarge() throws {
        let fixture = try PushFixture()
        let handler = JSONPushHandler(
            store: fixture.store, ingest: IngestConfiguration(), metrics: IngestMetrics.unregistered(),
            clock: fixture.clock,
            limits: JSONPushBatch.Limits(maxBytes: 1 << 20, maxSamples: 2))
        let body = #"{"samples":[{"name":"a","value":1},{"name":"b","value":1},{"name":"c","value":1}]}"#
        let response = handler.handle(HTTPRequest(method: "POST", target: "/api/v1/push", body: Array(body.utf8)))
        #expect(response.status.code == 413)
        #expect(String(decoding: response.body, as: UTF8.self).contains("more than the limit of 2 per batch"))
    }

    @Test func ownerExpiresAfterTheJobsStaleAfter() throws {
        var ingest = IngestConfiguration()
        ingest.pushGroups = [PushGroupOverride(job: "fast", staleAfterMilliseconds: 5_000)]
        let fixture = try PushFixture(ingest: ingest)
        _ = fixture.send("POST", "/api/v1/push", #"{"job":"fast","samples":[{"name":"a","value":1}]}"#)
        _ = fixture.send("POST", "/api/v1/push", #"{"job":"slow","samples":[{"name":"a","value":1}]}"#)
        fixture.clock.advance(by: 5_000)
        fixture.store.expireStale(now: fixture.clock.nowMilliseconds())
        #expect(exposed(fixture.store)["a{job=\"fast\"}"] == nil)
        #expect(exposed(fixture.store)["a{job=\"slow\"}"] == "1")
    }
}
