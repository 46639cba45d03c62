import Foundation

/// One sample as Python's `prometheus_client` parser read it.
package struct PythonParsedSample: Sendable, Equatable {
    /// The sample name (with `_total`, `_bucket`… suffixes as the parser reports them).
    package var name: String
    /// The sample's labels.
    package var labels: [String: String]
    /// The value as Python's `repr(float)` prints it: `0.012`, `inf`, `nan`.
    package var value: String

    package init(name: String, labels: [String: String], value: String) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}

/// Runs Python's `prometheus_client`, the client engines use, to judge Klaxon's output.
package enum PythonClient {
    /// Runs `script` with `python3`, feeding it `standardInput`; returns the finished peer.
    package static func run(
        script: String,
        arguments: [String] = [],
        standardInput: [UInt8]? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> PeerProcess {
        let python = try Executables.require(.python3)
        let peer = try PeerProcess(
            executable: python,
            arguments: ["-c", script] + arguments,
            standardInput: standardInput
        )
        try await peer.waitForExit(timeout: timeout)
        return peer
    }

    /// Parses `exposition` with `prometheus_client.parser` and returns every sample it found.
    /// Throws `PythonParseError` with the parser's message when it refuses the text.
    package static func parseExposition(_ exposition: String) async throws -> [PythonParsedSample] {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    out.append({"name": s.name, "labels": dict(s.labels), "value": repr(float(s.value))})
            sys.stdout.write(json.dumps(out))
            """
        let peer = try await run(script: script, standardInput: Array(exposition.utf8))
        guard peer.exitStatus == .exited(0) else {
            throw PythonParseError(message: peer.standardError)
        }
        let decoded = try JSONSerialization.jsonObject(with: Data(peer.standardOutput.utf8))
        guard let entries = decoded as? [[String: Any]] else {
            throw PythonParseError(message: "unexpected parser output: \(peer.standardOutput.prefix(200))")
        }
        return try entries.map { entry in
            guard let name = entry["name"] as? String, let labels = entry["labels"] as? [String: String],
                let value = entry["value"] as? String
            else {
                throw PythonParseError(message: "unexpected parser output: \(peer.standardOutput.prefix(200))")
            }
            return PythonParsedSample(name: name, labels: labels, value: value)
        }
    }
}

/// Python's `prometheus_client` could not parse a body.
package struct PythonParseError: Error, CustomStringConvertible {
    /// What Python printed.
    package let message: String

    package var description: String { "prometheus_client refused the text: \(message)" }
}
