import KlaxonMetrics
import KlaxonRules
import Testing

/// The alert state machine driven by a hand-advanced clock, one evaluation per minute.
@Suite struct AlertingRuleStateTests {
    static let minute: Int64 = 60_000
    static let series = Labels(["__name__": "disk_used_ratio", "instance": "db1", "job": "node"])

    static func rule(
        hold: Int64 = 5 * minute, keepFiringFor: Int64 = 0,
        labels: [String: String] = ["severity": "P1"],
        annotations: [String: String] = ["summary": "{{ $labels.instance }} at {{ humanizePercentage $value }}"]
    ) throws -> AlertingRule {
        try AlertingRule(
            name: "DiskAlmostFull", expression: "disk_used_ratio > 0.9", holdDuration: hold,
            keepFiringFor: keepFiringFor, labels: labels, annotations: annotations)
    }

    /// Runs one evaluation at `minutes` with the series present (value) or absent (nil).
    static func step(_ state: inout AlertingRuleState, at minutes: Int64, _ value: Double?) throws -> [AlertTransition
        .Kind]
    {
        let result = value.map { [(labels: series, value: $0)] } ?? []
        return try state.evaluate(result, at: minutes * minute).transitions.map(\.kind)
    }

    @Test func pendingBecomesFiringAfterHoldDuration() throws {
        var state = AlertingRuleState(rule: try Self.rule())
        #expect(try Self.step(&state, at: 0, 0.95) == [.pending])
        for minute in Int64(1)...4 {
            #expect(try Self.step(&state, at: minute, 0.95) == [])
            #expect(state.state == .pending)
        }
        #expect(try Self.step(&state, at: 5, 0.97) == [.firing])
        let alert = try #require(state.alerts.first)
        #expect(alert.state == .firing)
        #expect(alert.activeAt == 0)
        #expect(alert.firedAt == 5 * Self.minute)
        #expect(alert.value == 0.97)
        #expect(
            alert.labels == Labels(["alertname": "DiskAlmostFull", "instance": "db1", "job": "node", "severity": "P1"]))
    }

    @Test func ruleLabelsOverrideSeriesLabelsAndAlertnameOverridesBoth() throws {
        var state = AlertingRuleState(
            rule: try Self.rule(hold: 0, labels: ["alertname": "Renamed", "job": "disk", "team": "{{ $labels.job }}"]))
        let series = Labels([
            "__name__": "disk_used_ratio", "alertname": "FromSeries", "instance": "db1", "job": "node", "zone": "a",
        ])
        let evaluation = try state.evaluate([(labels: series, value: 0.95)], at: 0)
        let expected = ["alertname": "DiskAlmostFull", "instance": "db1", "job": "disk", "team": "node", "zone": "a"]
        #expect(state.alerts.map(\.labels) == [Labels(expected)])
        var alerts = expected
        alerts["__name__"] = "ALERTS"
        alerts["alertstate"] = "firing"
        var forState = expected
        forState["__name__"] = "ALERTS_FOR_STATE"
        #expect(evaluation.samples.map(\.labels) == [Labels(alerts), Labels(forState)])
    }

    @Test func zeroHoldFiresAtOnce() throws {
        var state = AlertingRuleState(rule: try Self.rule(hold: 0))
        #expect(try Self.step(&state, at: 0, 0.95) == [.firing])
        #expect(state.alerts.first?.firedAt == 0)
    }

    @Test func flappingConditionRestartsTheHoldTimer() throws {
        var state = AlertingRuleState(rule: try Self.rule())
        #expect(try Self.step(&state, at: 0, 0.95) == [.pending])
        #expect(try Self.step(&state, at: 3, 0.95) == [])
        #expect(try Self.step(&state, at: 4, nil) == [.cancelled])
        #expect(state.alerts.isEmpty)
        #expect(try Self.step(&state, at: 5, 0.95) == [.pending])
        #expect(state.alerts.first?.activeAt == 5 * Self.minute)
        #expect(try Self.step(&state, at: 9, 0.95) == [])
        #expect(try Self.step(&state, at: 10, 0.95) == [.firing])
    }

    @Test func keepFiringForHoldsAFiringAlertAfterTheConditionClears() throws {
        var state = AlertingRuleState(rule: try Self.rule(hold: 0, keepFiringFor: 3 * Self.minute))
        #expect(try Self.step(&state, at: 0, 0.95) == [.firing])
        #expect(try Self.step(&state, at: 1, nil) == [])
        #expect(state.alerts.first?.keepFiringSince == Self.minute)
        #expect(try Self.step(&state, at: 3, nil) == [])
        #expect(state.state == .firing)
        #expect(try Self.step(&state, at: 4, nil) == [.resolved])
        #expect(state.alerts.first?.resolvedAt == 4 * Self.minute)
    }

    @Test func conditionReturningDuringKeepFiringForResetsIt() throws {
        var state = AlertingRuleState(rule: try Self.rule(hold: 0, keepFiringFor: 3 * Self.minute))
        _ = try Self.step(&state, at: 0, 0.95)
        _ = try Self.step(&state, at: 1, nil)
        #expect(try Self.step(&state, at: 2, 0.95) == [])
        #expect(state.alerts.first?.keepFiringSince == nil)
        #expect(try Self.step(&state, at: 3, nil) == [])
        #expect(try Self.step(&state, at: 5, nil) == [])
        #expect(try Self.step(&state, at: 6, nil) == [.resolved])
    }

    @Test func resolvedAlertIsKeptFifteenMinutesThenDropped() throws {
        var state = AlertingRuleState(rule: try Self.rule(hold: 0))
        _ = try Self.step(&state, at: 0, 0.95)
        #expect(try Self.step(&state, at: 1, nil) == [.resolved])
        #expect(try Self.step(&state, at: 16, nil) == [])
        #expect(state.alerts.map(\.state) == [.inactive])
        #expect(try Self.step(&state, at: 17, nil) == [])
        #expect(state.alerts.isEmpty)
    }

    @Test func alertReturningAfterResolutionStartsOver() throws {
        var state = AlertingRuleState(rule: try Self.rule())
        _ = try Self.step(&state, at: 0, 0.95)
        _ = try Self.step(&state, at: 5, 0.95)
        #expect(try Self.step(&state, at: 6, nil) == [.resolved])
        #expect(try Self.step(&state, at: 7, 0.95) == [.pending])
        let alert = try #require(state.alerts.first)
        #expect(alert.activeAt == 7 * Self.minute)
        #expect(alert.resolvedAt == nil)
        #expect(alert.firedAt == nil)
    }

    @Test func labelsAndAnnotationsAreTemplatedWithValue() throws {
        let rule = try Self.rule(
            hold: 0, labels: ["severity": "P1", "band": "{{ if gt $value 0.98 }}high{{ else }}low{{ end }}"],
            annotations: [
                "summary": "{{ $labels.instance }} at {{ humanizePercentage $value }}", "empty": "{{ $labels.none }}",
            ])
        var state = AlertingRuleState(rule: rule)
        _ = try Self.step(&state, at: 0, 0.95)
        var alert = try #require(state.alerts.first)
        #expect(alert.labels["band"] == "low")
        #expect(alert.annotation("summary") == "db1 at 95%")
        #expect(alert.annotation("empty") == "")
        _ = try Self.step(&state, at: 1, 0.9612)
        alert = try #require(state.alerts.first)
        #expect(alert.annotation("summary") == "db1 at 96.12%")
        #expect(alert.activeAt == 0)
    }

    @Test func duplicateLabelSetsAfterTemplatingFailTheStep() throws {
        var state = AlertingRuleState(rule: try Self.rule(hold: 0))
        _ = try Self.step(&state, at: 0, 0.95)
        let before = state.alerts
        let other = Labels(["__name__": "disk_used_ratio_v2", "instance": "db1", "job": "node"])
        #expect {
            _ = try state.evaluate([(Self.series, 0.95), (other, 0.96)], at: Self.minute)
        } throws: { error in
            "\(error)"
                == "rule \"DiskAlmostFull\": vector contains metrics with the same labelset after applying alert labels"
        }
        #expect(state.alerts == before)
    }

    @Test func limitClearsAlertsWhenExceeded() throws {
        var state = AlertingRuleState(rule: try Self.rule(hold: 0))
        let second = Self.series.setting("instance", to: "db2")
        #expect(throws: RuleError.limitExceeded(rule: "DiskAlmostFull", limit: 1, count: 2)) {
            _ = try state.evaluate([(Self.series, 0.95), (second, 0.96)], at: 0, limit: 1)
        }
        #expect(state.alerts.isEmpty)
    }

    @Test func alertsSeriesAreWrittenAsPrometheusWritesThem() throws {
        let rule = try Self.rule(labels: ["severity": "P1", "team": "{{ $labels.owner }}"])
        var state = AlertingRuleState(rule: rule)
        let first = try state.evaluate([(Self.series, 0.95)], at: 90_500)
        #expect(first.samples.count == 2)
        let alerts = try #require(first.samples.first { $0.labels.metricName == "ALERTS" })
        // An empty expansion removes the alert's label; ALERTS falls back to the text as written.
        #expect(
            alerts.labels
                == Labels([
                    "__name__": "ALERTS", "alertname": "DiskAlmostFull", "alertstate": "pending", "instance": "db1",
                    "job": "node", "severity": "P1", "team": "{{ $labels.owner }}",
                ]))
        #expect(alerts.sample == Sample(timestamp: 90_500, value: 1))
        let forState = try #require(first.samples.first { $0.labels.metricName == "ALERTS_FOR_STATE" })
        #expect(forState.labels["alertstate"] == nil)
        #expect(forState.sample == Sample(timestamp: 90_500, value: 90))
        let later = try state.evaluate([(Self.series, 0.95)], at: 90_500 + 5 * Self.minute)
        #expect(later.samples.first { $0.labels.metricName == "ALERTS" }?.labels["alertstate"] == "firing")
        let resolved = try state.evaluate([], at: 90_500 + 6 * Self.minute)
        #expect(resolved.samples.isEmpty)
    }

    @Test func sendingFollowsResendDelayAndSendsResolutionAtOnce() throws {
        var state = AlertingRuleState(rule: try Self.rule(hold: Self.minute))
        let resend = Self.minute
        _ = try Self.step(&state, at: 0, 0.95)
        #expect(state.alertsToSend(at: 0, resendDelay: resend, interval: Self.minute).isEmpty)
        _ = try Self.step(&state, at: 1, 0.95)
        let sent = state.alertsToSend(at: Self.minute, resendDelay: resend, interval: Self.minute)
        #expect(sent.map(\.state) == [.firing])
        #expect(sent.first?.validUntil == Self.minute + 4 * Self.minute)
        #expect(state.alertsToSend(at: 2 * Self.minute, resendDelay: resend, interval: Self.minute).isEmpty)
        #expect(state.alertsToSend(at: 2 * Self.minute + 1, resendDelay: resend, interval: Self.minute).count == 1)
        _ = try Self.step(&state, at: 3, nil)
        #expect(
            state.alertsToSend(at: 3 * Self.minute, resendDelay: resend, interval: Self.minute).map(\.state) == [
                .inactive
            ])
        #expect(state.alertsToSend(at: 3 * Self.minute + 1, resendDelay: resend, interval: Self.minute).isEmpty)
    }

    @Test func restoredAlertKeepsItsHoldTimer() throws {
        var first = AlertingRuleState(rule: try Self.rule())
        _ = try Self.step(&first, at: 0, 0.95)
        var restarted = AlertingRuleState(rule: try Self.rule())
        restarted.restore(first.alerts)
        #expect(try Self.step(&restarted, at: 2, 0.95) == [])
        #expect(try Self.step(&restarted, at: 5, 0.95) == [.firing])
    }
}
