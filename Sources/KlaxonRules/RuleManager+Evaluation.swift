import KlaxonMetrics
import KlaxonPromQL

extension RuleManager {
    /// Runs every group whose interval has come or whose push request may run now; returns when
    /// the next one falls due (nil with no groups).
    @discardableResult
    package func evaluateDue(at now: Int64) -> Int64? {
        let due = state.withLock { state -> [(RuleGroupKey, RuleEvaluationReport.Trigger)] in
            state.order.compactMap { key in
                guard let slot = state.slots[key] else { return nil }
                if now >= slot.nextDue { return (key, .interval) }
                if slot.pushPending && now >= (slot.lastPushEvaluation ?? Int64.min) &+ options.pushCoalescing {
                    return (key, .push)
                }
                return nil
            }
        }
        var reports: [RuleEvaluationReport] = []
        for (key, trigger) in due {
            if let report = evaluate(key, at: now, trigger: trigger) { reports.append(report) }
        }
        for report in reports where !Self.isQuiet(report.step) { dependencies.notify(report) }
        return state.withLock { state in
            state.slots.values.map { slot in
                slot.pushPending
                    ? min(slot.nextDue, (slot.lastPushEvaluation ?? now) &+ options.pushCoalescing) : slot.nextDue
            }.min()
        }
    }

    /// Evaluates one group now, whatever its schedule (for tests and an operator's "evaluate now").
    package func evaluateNow(_ key: RuleGroupKey, at now: Int64) {
        if let report = evaluate(key, at: now, trigger: .interval), !Self.isQuiet(report.step) {
            dependencies.notify(report)
        }
    }

    private static func isQuiet(_ step: RuleGroupState.Step) -> Bool {
        step.transitions.isEmpty && step.alertsToSend.isEmpty && step.failures.isEmpty && step.expansionErrors.isEmpty
    }

    /// One evaluation under the gate; the result is kept only if no reload replaced the group meanwhile.
    private func evaluate(_ key: RuleGroupKey, at now: Int64, trigger: RuleEvaluationReport.Trigger)
        -> RuleEvaluationReport?
    {
        evaluationGate.withLock { _ -> RuleEvaluationReport? in
            guard var slot = state.withLock({ $0.slots[key] }) else { return nil }
            let expressions = slot.expressions
            let evaluator = self.evaluator
            let append = dependencies.append
            let owner = "rules/\(key)"
            // Timed for the rules API only; nothing the rules decide depends on it.
            let timer = ContinuousClock()
            let started = timer.now
            var queryDurations: [String: Duration] = [:]
            let step = slot.group.evaluate(
                at: now,
                query: { text, time in
                    guard let expr = expressions[text] else {
                        throw PromQLError("expression \"\(text)\" was not loaded with its group")
                    }
                    let queryStarted = timer.now
                    defer { queryDurations[text, default: .zero] += timer.now - queryStarted }
                    return try RuleResult.instantVector(evaluator.evaluate(expr, at: time, budget: makeBudget()))
                },
                append: { samples in if !samples.isEmpty { append(owner, samples) } })
            let duration = timer.now - started
            let seenRequests = slot.pushRequests
            state.withLock { state in
                guard let current = state.slots[key], current.generation == slot.generation else { return }
                slot.lastEvaluation = now
                slot.lastFailures = step.failures
                slot.lastDuration = duration
                slot.lastQueryDurations = queryDurations
                if trigger == .push || seenRequests > slot.pushHandled { slot.lastPushEvaluation = now }
                slot.pushHandled = seenRequests
                slot.pushRequests = current.pushRequests
                if now >= slot.nextDue {
                    // Skip missed slots rather than catching up with a burst of evaluations.
                    let behind = (now - slot.nextDue) / slot.definition.interval + 1
                    slot.nextDue &+= behind &* slot.definition.interval
                }
                state.slots[key] = slot
                state.status.evaluations += 1
                if !step.failures.isEmpty { state.status.failedEvaluations += 1 }
            }
            for failure in step.failures {
                dependencies.logger.warning(
                    "rule evaluation failed",
                    [
                        "rule.group": key.name, "rule.file": key.file, "rule.name": failure.rule,
                        "error": failure.message,
                    ])
            }
            return RuleEvaluationReport(group: key, time: now, trigger: trigger, step: step)
        }
    }

    // MARK: - Waking the loop

    /// Wakes `run()` early (a push arrived or the rules changed).
    func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.wakeRequested = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns after `milliseconds`, on `wake()`, or on cancellation, whichever comes first.
    func waitForWake(orAfter milliseconds: Int64) async {
        let sleep = dependencies.sleep
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await sleep(milliseconds) }
            group.addTask { await self.wakeSignal() }
            _ = await group.next()
            group.cancelAll()
        }
    }

    private func wakeSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked under the lock, so a cancellation that ran before the waiter was stored is seen here.
                let resumeNow = state.withLock { state -> Bool in
                    if state.wakeRequested || Task.isCancelled {
                        state.wakeRequested = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
