import KlaxonMetrics
import KlaxonRules
import Testing

@Suite struct RuleGroupStateTests {
    static let minute: Int64 = 60_000

    struct QueryFailed: Error, CustomStringConvertible {
        var description: String { "parse error: unexpected end of input" }
    }

    /// A store the test can read back: the group appends, the query reads by metric name.
    final class RecordingStore {
        var written: [RuleSample] = []
        var inputs: [String: [(labels: Labels, value: Double)]] = [:]

        func query(_ expression: String, _ time: Int64) throws -> [(labels: Labels, value: Double)] {
            if expression == "broken(" { throw QueryFailed() }
            if let input = inputs[expression] { return input }
            return written.filter {
                $0.labels.metricName == expression && $0.sample.timestamp == time && !$0.sample.isStaleMarker
            }
            .map { ($0.labels, $0.sample.value) }
        }
    }

    @Test func recordingRuleRenamesAndLabelsEachSeries() throws {
        let rule = try RecordingRule(
            name: "job:requests:rate5m", expression: "sum by (job) (rate(requests_total[5m]))", labels: ["team": "core"]
        )
        let samples = try rule.samples(from: [(Labels(["__name__": "x", "job": "api"]), 2.5)], at: 1000)
        #expect(
            samples == [
                RuleSample(
                    labels: Labels(["__name__": "job:requests:rate5m", "job": "api", "team": "core"]),
                    sample: Sample(timestamp: 1000, value: 2.5))
            ])
    }

    @Test func recordingRuleRefusesDuplicateOutput() throws {
        let rule = try RecordingRule(name: "r", labels: [:])
        #expect {
            _ = try rule.samples(
                from: [(Labels(["__name__": "a", "job": "x"]), 1), (Labels(["__name__": "b", "job": "x"]), 2)], at: 0)
        } throws: { error in
            "\(error)" == "rule \"r\": vector contains metrics with the same labelset after applying rule labels"
        }
    }

    @Test(arguments: ["1abc", "a-b", ""])
    func recordingRuleNameMustBeAMetricName(_ name: String) {
        #expect(throws: RuleError.self) { _ = try RecordingRule(name: name) }
    }

    @Test func alertingRuleLabelNamesAreChecked() {
        #expect(throws: RuleError.self) { _ = try AlertingRule(name: "A", labels: ["bad-name": "x"]) }
        #expect(throws: RuleError.self) { _ = try AlertingRule(name: "A", labels: ["__name__": "x"]) }
        #expect(throws: RuleError.self) { _ = try AlertingRule(name: "A", annotations: ["1st": "x"]) }
    }

    @Test func laterRuleReadsWhatAnEarlierRuleRecordedInTheSameStep() throws {
        let store = RecordingStore()
        store.inputs["up == 0"] = [
            (Labels(["__name__": "up", "instance": "a"]), 0), (Labels(["__name__": "up", "instance": "b"]), 0),
        ]
        var group = RuleGroupState(
            name: "engine", interval: Self.minute,
            rules: [
                .recording(try RecordingRule(name: "down_count", expression: "up == 0")),
                .alerting(
                    AlertingRuleState(
                        rule: try AlertingRule(
                            name: "InstancesDown", expression: "down_count", labels: ["severity": "P0"],
                            annotations: ["summary": "{{ $labels.instance }} down"]))),
            ])
        let step = group.evaluate(at: 0, query: store.query, append: { store.written += $0 })
        #expect(step.failures.isEmpty)
        #expect(step.transitions.map(\.transition.kind) == [.firing, .firing])
        #expect(step.alertsToSend.map(\.alert.labels["instance"]) == ["a", "b"])
        #expect(step.alertsToSend.map(\.rule) == ["InstancesDown", "InstancesDown"])
    }

    @Test func vanishedSeriesGetStaleMarkers() throws {
        let store = RecordingStore()
        store.inputs["x > 1"] = [(Labels(["__name__": "x", "instance": "a"]), 5)]
        var group = RuleGroupState(
            name: "g", interval: Self.minute,
            rules: [
                .alerting(
                    AlertingRuleState(
                        rule: try AlertingRule(
                            name: "High", expression: "x > 1", holdDuration: Self.minute, labels: ["severity": "P2"])))
            ])
        _ = group.evaluate(at: 0, query: store.query, append: { store.written += $0 })
        store.written = []
        _ = group.evaluate(at: Self.minute, query: store.query, append: { store.written += $0 })
        let stale = store.written.filter(\.sample.isStaleMarker).map(\.labels)
        #expect(
            stale == [
                Labels([
                    "__name__": "ALERTS", "alertname": "High", "alertstate": "pending", "instance": "a",
                    "severity": "P2",
                ])
            ])
        store.inputs["x > 1"] = []
        store.written = []
        _ = group.evaluate(at: 2 * Self.minute, query: store.query, append: { store.written += $0 })
        #expect(store.written.count == 2)
        #expect(store.written.allSatisfy { $0.sample.isStaleMarker })
        #expect(Set(store.written.compactMap(\.labels.metricName)) == ["ALERTS", "ALERTS_FOR_STATE"])
        #expect(group.staleMarkers(at: 3 * Self.minute).isEmpty)
    }

    @Test func failingRuleDoesNotStopTheOthers() throws {
        let store = RecordingStore()
        store.inputs["y"] = [(Labels(["__name__": "y"]), 1)]
        var group = RuleGroupState(
            name: "g", interval: Self.minute,
            rules: [
                .recording(try RecordingRule(name: "bad", expression: "broken(")),
                .recording(try RecordingRule(name: "good", expression: "y")),
            ])
        let step = group.evaluate(at: 0, query: store.query, append: { store.written += $0 })
        #expect(
            step.failures.map(\.description) == ["rule \"bad\": parse error: unexpected end of input"])
        #expect(store.written.map(\.labels) == [Labels(["__name__": "good"])])
    }

    @Test func templateExpansionFailuresAreReported() throws {
        let store = RecordingStore()
        store.inputs["z"] = [(Labels(["__name__": "z"]), 3)]
        var group = RuleGroupState(
            name: "g", interval: Self.minute,
            rules: [
                .alerting(
                    AlertingRuleState(
                        rule: try AlertingRule(
                            name: "Z", expression: "z", labels: ["severity": "P3"],
                            annotations: ["summary": "{{ gt $value 1 }}"])))
            ])
        let step = group.evaluate(at: 0, query: store.query, append: { store.written += $0 })
        #expect(step.expansionErrors.map(\.message) == ["error calling gt: incompatible types for comparison"])
        #expect(step.alertsToSend.first?.alert.annotation("summary")?.hasPrefix("<error expanding template: ") == true)
    }

    @Test func rulesSharingAnExpressionQueryItOncePerStep() throws {
        let store = RecordingStore()
        store.inputs["x > 1"] = [(Labels(["__name__": "x", "instance": "a"]), 5)]
        var queries: [String] = []
        var group = RuleGroupState(
            name: "g", interval: Self.minute,
            rules: [
                .alerting(AlertingRuleState(rule: try AlertingRule(name: "Warn", expression: "x > 1"))),
                .alerting(AlertingRuleState(rule: try AlertingRule(name: "Page", expression: "x > 1"))),
            ])
        let step = group.evaluate(
            at: 0,
            query: { expression, time in
                queries.append(expression)
                return try store.query(expression, time)
            }, append: { store.written += $0 })
        #expect(queries == ["x > 1"])
        #expect(step.alertsToSend.map(\.rule) == ["Warn", "Page"])
        _ = group.evaluate(
            at: Self.minute,
            query: { expression, time in
                queries.append(expression)
                return try store.query(expression, time)
            }, append: { store.written += $0 })
        #expect(queries == ["x > 1", "x > 1"])
    }

    @Test func sharedExpressionIsQueriedAgainAfterARuleWritesWhatItReads() throws {
        let store = RecordingStore()
        store.inputs["up"] = [(Labels(["__name__": "up", "instance": "a"]), 1)]
        var queries: [String] = []
        var group = RuleGroupState(
            name: "g", interval: Self.minute,
            rules: [
                .alerting(AlertingRuleState(rule: try AlertingRule(name: "Seen", expression: "ALERTS"))),
                .alerting(AlertingRuleState(rule: try AlertingRule(name: "Up", expression: "up"))),
                .alerting(AlertingRuleState(rule: try AlertingRule(name: "SeenAgain", expression: "ALERTS"))),
            ])
        let step = group.evaluate(
            at: 0,
            query: { expression, time in
                queries.append(expression)
                return try store.query(expression, time)
            }, append: { store.written += $0 })
        // The second ALERTS query runs again and sees the alert "Up" wrote in between.
        #expect(queries == ["ALERTS", "up", "ALERTS"])
        #expect(step.alertsToSend.map(\.rule) == ["Up", "SeenAgain"])
    }
}
