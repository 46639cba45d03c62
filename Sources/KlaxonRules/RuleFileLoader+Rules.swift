import KlaxonConfig
import KlaxonMetrics
import KlaxonPromQL
import KlaxonTemplate

// MARK: - One rule

extension RuleDecoding {
    static let ruleKeys = ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]

    /// Decodes and validates one rule as rulefmt does; nil when it has problems.
    func rule(_ value: ValueReader, index: Int, group: String) -> RuleDefinition? {
        guard let reader = value.mapping(allowedKeys: Self.ruleKeys) else { return nil }
        let record = reader.string("record")
        let alert = reader.string("alert")
        let name = alert ?? record ?? ""
        let errorsBefore = diagnostics.errors.count
        let prefix = "group \"\(group)\", rule \(index), \"\(name)\""
        func fail(_ message: String, at mark: Mark, key: String? = nil) {
            diagnostics.report("\(prefix): \(message)", at: mark, path: key.map(reader.path.appending) ?? reader.path)
        }

        switch (record, alert) {
        case (.some, .some):
            fail("only one of 'record' and 'alert' may be set", at: reader.mark)
        case (nil, nil):
            fail("one of 'record' or 'alert' must be set", at: reader.mark)
        case (.some(let recordName), nil):
            for key in ["for", "keep_firing_for", "annotations"] where reader.has(key) {
                fail(
                    "invalid field '\(key)' in recording rule; it applies to alerting rules only",
                    at: reader.mark(of: key), key: key)
            }
            if !MetricNames.isValidMetricName(recordName) {
                fail(
                    "invalid recording rule name \"\(recordName)\"; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*",
                    at: reader.mark(of: "record"), key: "record")
            }
        case (nil, .some(let alertName)):
            if alertName.isEmpty { fail("alert name must not be empty", at: reader.mark(of: "alert"), key: "alert") }
        }

        let holdDuration = reader.durationMilliseconds("for") ?? 0
        let keepFiringFor = reader.durationMilliseconds("keep_firing_for") ?? 0
        let labels = reader.stringMap("labels") ?? []
        let annotations = reader.stringMap("annotations") ?? []
        for label in labels {
            if !MetricNames.isValidLabelName(label.key) || label.key == Labels.metricNameLabel {
                fail(
                    "invalid label name \"\(label.key)\"; label names match [a-zA-Z_][a-zA-Z0-9_]* and are not __name__",
                    at: label.keyMark, key: "labels")
            }
        }
        for annotation in annotations where !MetricNames.isValidLabelName(annotation.key) {
            fail(
                "invalid annotation name \"\(annotation.key)\"; annotation names match [a-zA-Z_][a-zA-Z0-9_]*",
                at: annotation.keyMark, key: "annotations")
        }
        if alert != nil {
            for (kind, fields) in [("label", labels), ("annotation", annotations)] {
                for field in fields {
                    do {
                        _ = try Template(alert: field.value, name: "__alert_\(name)")
                    } catch {
                        fail("\(kind) \(field.key): \(error.description)", at: field.valueMark, key: kind + "s")
                    }
                }
            }
            if options.policy == .klaxon {
                do {
                    try KlaxonLabelPolicy.validate(
                        ruleName: name, labels: Dictionary(labels.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }))
                } catch {
                    let severity = labels.first { $0.key == "severity" }
                    fail(error.message, at: severity?.valueMark ?? reader.mark(of: "labels"), key: "labels")
                }
            }
        }

        var parsed: Expr?
        if let exprValue = reader.required("expr"), let text = exprValue.string() {
            if text.allSatisfy(\.isWhitespace) {
                fail("field 'expr' must be set in rule", at: exprValue.mark, key: "expr")
            } else {
                do {
                    let expr = try PromQL.parse(text)
                    if expr.type != .vector && expr.type != .scalar {
                        fail(
                            "expression returns a \(expr.type.rawValue); a rule needs an instant vector or a scalar",
                            at: exprValue.mark, key: "expr")
                    } else {
                        parsed = expr
                    }
                } catch {
                    let mark = ExpressionPosition.fileMark(of: error, in: exprValue.node, source: source)
                    let message = "\(prefix): could not parse expression: \(error.description)"
                    diagnostics.report(message, at: mark, path: reader.path.appending("expr"))
                }
            }
        }

        guard diagnostics.errors.count == errorsBefore, let expr = parsed else { return nil }
        let labelMap = Dictionary(labels.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        do {
            if let record {
                let rule = try RecordingRule(name: record, expression: expr.description, labels: labelMap)
                return RuleDefinition(kind: .recording(rule), expr: expr, mark: reader.mark)
            }
            let rule = try AlertingRule(
                name: name, expression: expr.description, holdDuration: holdDuration, keepFiringFor: keepFiringFor,
                labels: labelMap,
                annotations: Dictionary(annotations.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }))
            return RuleDefinition(kind: .alerting(rule), expr: expr, mark: reader.mark)
        } catch {
            fail(error.message, at: reader.mark)
            return nil
        }
    }
}

// MARK: - Positions inside an expression

/// Maps a position inside an expression to the file, from how the `expr:` scalar was written.
enum ExpressionPosition {
    static func fileMark(of error: PromQLError, in node: YAMLNode, source: SourceLines) -> Mark {
        guard let line = error.line, let column = error.column, case .scalar(_, let style) = node.kind else {
            return node.mark
        }
        switch style {
        case .plain, .singleQuoted, .doubleQuoted:
            let quote = style == .plain ? 0 : 1
            return line == 1
                ? Mark(line: node.mark.line, column: node.mark.column + quote + column - 1)
                : Mark(line: node.mark.line + line - 1, column: column)
        case .literal, .folded:
            guard let start = source.contentStart(after: node.mark.line) else { return node.mark }
            // Folding joins lines, so a folded scalar's line is only known for its first line.
            let fileLine = style == .literal ? start.line + line - 1 : start.line
            return Mark(line: fileLine, column: start.indent + column)
        }
    }
}
