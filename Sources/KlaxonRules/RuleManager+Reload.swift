import KlaxonConfig
import KlaxonMetrics

extension RuleManager {
    /// Reads every file (or glob pattern), and swaps the rules in only when all of them are valid: on any error
    /// the old rules keep running and the status says the reload failed. Alerts of rules that
    /// are unchanged (same group, name, expression and labels) keep their state.
    package func reload(files: [String]) throws(ConfigErrors) {
        var groups: [RuleGroupDefinition] = []
        var errors: [ConfigError] = []
        var seen: Set<String> = []
        for file in Self.resolve(files) where seen.insert(file).inserted {
            do {
                groups += try RuleFileLoader.load(path: file, options: options.load).groups
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else {
            let failure = ConfigErrors(errors)
            state.withLock { state in
                state.status.lastReloadSuccessful = false
                state.status.lastReloadError = failure.description
            }
            dependencies.logger.error(
                "rule reload failed; the previous rules stay active",
                ["rule.files": files.joined(separator: ","), "error.count": "\(errors.count)"])
            throw failure
        }
        apply(groups)
    }

    /// Patterns with `*`, `?` or `[` are globbed (matching nothing is fine, as in Prometheus);
    /// plain paths stay, so a missing file is an error.
    static func resolve(_ files: [String]) -> [String] {
        files.flatMap { file in
            file.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) ? RuleFileGlob.expand(file) : [file]
        }
    }

    /// Replaces the loaded groups with `groups` (already validated), keeping unchanged alert state.
    package func apply(_ definitions: [RuleGroupDefinition]) {
        // A group is known by file and name; the first of two with the same key wins.
        var keys: Set<RuleGroupKey> = []
        let groups = definitions.filter { keys.insert($0.key).inserted }
        let now = dependencies.clock.nowMilliseconds()
        let removed = evaluationGate.withLock { _ -> [(RuleGroupKey, [RuleSample])] in
            state.withLock { state -> [(RuleGroupKey, [RuleSample])] in
                var slots: [RuleGroupKey: Slot] = [:]
                for definition in groups {
                    state.generation += 1
                    slots[definition.key] = makeSlot(
                        definition, replacing: state.slots[definition.key], now: now,
                        generation: state.generation)
                }
                let gone = state.slots.filter { slots[$0.key] == nil }.map {
                    ($0.key, $0.value.group.staleMarkers(at: now))
                }
                state.slots = slots
                state.order = groups.map(\.key)
                state.status.lastReloadSuccessful = true
                state.status.lastReloadSuccessTimestampSeconds = Double(now) / 1000
                state.status.lastReloadError = nil
                state.status.groupCount = groups.count
                state.status.ruleCount = groups.reduce(0) { $0 + $1.rules.count }
                return gone.sorted { $0.0 < $1.0 }
            }
        }
        for (key, markers) in removed where !markers.isEmpty { dependencies.append("rules/\(key)", markers) }
        dependencies.historyNeeded(Self.lookbehind(of: groups, lookbackDelta: options.lookbackDelta))
        dependencies.logger.info(
            "rules loaded",
            ["rule.groups": "\(groups.count)", "rule.count": "\(groups.reduce(0) { $0 + $1.rules.count })"])
        wake()
    }

    /// How far back the rules of `groups` read: the longest `Expr.lookbehind` among them (0 for none).
    package static func lookbehind(of groups: [RuleGroupDefinition], lookbackDelta: Int64) -> Int64 {
        var longest: Int64 = 0
        for group in groups {
            for rule in group.rules { longest = max(longest, rule.expr.lookbehind(lookbackDelta: lookbackDelta)) }
        }
        return longest
    }

    private func makeSlot(_ definition: RuleGroupDefinition, replacing old: Slot?, now: Int64, generation: Int) -> Slot
    {
        var group = definition.makeState(
            externalLabels: options.externalLabels, externalURL: options.externalURL, resendDelay: options.resendDelay)
        if let old {
            if old.definition.rules.map(\.identity) == definition.rules.map(\.identity)
                && old.definition.interval == definition.interval && old.definition.limit == definition.limit
            {
                group = old.group
            } else {
                group = Self.carryAlerts(from: old, into: group, definition: definition)
            }
        }
        return Slot(
            definition: definition, group: group, expressions: definition.expressions,
            metricNames: definition.metricNames, nextDue: old.map { min($0.nextDue, now + definition.interval) } ?? now,
            lastPushEvaluation: old?.lastPushEvaluation, lastEvaluation: old?.lastEvaluation,
            generation: generation)
    }

    /// A fresh group state whose unchanged alerting rules continue with the old alerts.
    private static func carryAlerts(from old: Slot, into fresh: RuleGroupState, definition: RuleGroupDefinition)
        -> RuleGroupState
    {
        var oldAlerts: [String: [Alert]] = [:]
        for (index, rule) in old.group.rules.enumerated() where index < old.definition.rules.count {
            if case .alerting(let state) = rule { oldAlerts[old.definition.rules[index].identity] = state.alerts }
        }
        let rules: [Rule] = fresh.rules.enumerated().map { index, rule in
            guard case .alerting(var state) = rule, let alerts = oldAlerts[definition.rules[index].identity] else {
                return rule
            }
            state.restore(alerts)
            return .alerting(state)
        }
        return RuleGroupState(
            name: fresh.name, interval: fresh.interval, limit: fresh.limit, resendDelay: fresh.resendDelay, rules: rules
        )
    }
}
