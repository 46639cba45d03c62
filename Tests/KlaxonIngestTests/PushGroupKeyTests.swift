import KlaxonIngest
import KlaxonMetrics
import Testing

@Suite struct PushGroupKeyTests {
    @Test(arguments: [
        ("/metrics/job/engine", ["job": "engine"]),
        ("/metrics/job/engine/", ["job": "engine"]),
        ("/metrics/job/engine/instance/host-1", ["job": "engine", "instance": "host-1"]),
        ("/metrics/job/engine/a/1/b/2", ["job": "engine", "a": "1", "b": "2"]),
        ("/metrics/job@base64/Zm9vL2Jhcg", ["job": "foo/bar"]),
        ("/metrics/job@base64/Zm9vL2Jhcg==", ["job": "foo/bar"]),
        ("/metrics/job/j/path@base64/L3Zhci90bXA=", ["job": "j", "path": "/var/tmp"]),
        ("/metrics/job/j/path@base64/L3Zhci90bXA", ["job": "j", "path": "/var/tmp"]),
        ("/metrics/job/j/empty@base64/=", ["job": "j"]),
        ("/metrics/job/j/empty/", ["job": "j"]),
        ("/metrics/job/j/a/1/a/2", ["job": "j", "a": "2"]),
        ("/metrics/job/j/job/other", ["job": "j"]),
        ("/metrics/job/a%20b/v/x%2Fy", ["job": "a b", "v": "x/y"]),
        ("/metrics/job/a+b", ["job": "a+b"]),
        ("/metrics/job/j/v@base64/w7xiZXI", ["job": "j", "v": "über"]),
    ])
    func parsesGroupingLabels(path: String, expected: [String: String]) throws {
        let key = try PushGroupKey(rawPath: path)
        #expect(key.labels == Labels(expected))
        #expect(key.job == expected["job"])
    }

    @Test func keepsEmptyValuesInPairsForOverriding() throws {
        let key = try PushGroupKey(rawPath: "/metrics/job/j/empty@base64/=")
        #expect(key.pairs == [Label("job", "j"), Label("empty", "")])
    }

    @Test(arguments: [
        ("/metrics/job/", "job name is required"),
        ("/metrics/job@base64/=", "job name is required"),
        ("/metrics/job/j/a", "odd number of components"),
        ("/metrics/job/j/a/1/b", "odd number of components"),
        ("/metrics/job/j/a/1/", "odd number of components"),
        ("/metrics/job/j/__a/1", "improper label name \"__a\""),
        ("/metrics/job/j/a-b/1", "improper label name \"a-b\""),
        ("/metrics/job/j/a@base64/!!", "invalid base64 encoding for label a"),
        ("/metrics/job@base64/Z", "invalid base64 encoding for job name"),
        ("/metrics/job/j/a/%zz", "invalid percent-escape"),
        ("/metrics/job/j/a@base64/_w", "not valid UTF-8"),
        ("/metrics/jobs/j", "must be /metrics/job/<job>"),
        ("/other", "must be /metrics/job/<job>"),
    ])
    func refusesMalformedPaths(path: String, fragment: String) {
        #expect {
            _ = try PushGroupKey(rawPath: path)
        } throws: { error in
            "\(error)".contains(fragment)
        }
    }

    @Test func refusesTooManyLabels() {
        let path = "/metrics/job/j" + (0...PushGroupKey.maxLabels).map { "/l\($0)/v" }.joined()
        #expect(throws: PushGroupKeyError.self) { try PushGroupKey(rawPath: path) }
    }

    @Test(arguments: ["", "f", "fo", "foo", "foo/bar", "über?>>", "\u{0}\u{ff}"])
    func base64RoundTrips(text: String) {
        let encoded = Base64URL.encode(Array(text.utf8))
        #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
        #expect(Base64URL.decode(encoded) == Array(text.utf8))
        #expect(Base64URL.decode(encoded + "==") == Array(text.utf8))
    }
}
