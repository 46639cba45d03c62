/// One incident of SCENARIOS.md that `klaxon demo` can inject into its synthetic engine: what it
/// does to the KPIs while it lasts, and the alert it should raise.
package struct DemoIncident: Sendable, Equatable {
    /// The name used by `--incident` and `POST /api/v1/demo/incidents/<name>`.
    package var name: String
    /// What happens, in an operator's words.
    package var title: String
    /// The alert the shipped rule pack raises for it.
    package var alert: String
    /// The severity of that alert.
    package var severity: String
    /// How long the fault lasts before it clears, in seconds (long enough for the rule's `for`).
    package var seconds: Int
    /// Changes the engine's KPIs at `elapsed` seconds into the incident.
    package var effect: @Sendable (_ state: inout DemoEngineState, _ elapsed: Int) -> Void

    package static func == (lhs: DemoIncident, rhs: DemoIncident) -> Bool { lhs.name == rhs.name }

    /// The incidents, in the order the demo rotates through them.
    package static let all: [DemoIncident] = [
        DemoIncident(
            name: "exchange-frozen", title: "okx order book stops updating", alert: "ExchangeFrozen",
            severity: "P0", seconds: 60
        ) { state, elapsed in state.orderBookAge["okx"] = 11 + Double(elapsed) },
        DemoIncident(
            name: "redis-connection-lost", title: "the engine loses Redis", alert: "RedisConnectionLost",
            severity: "P0", seconds: 45
        ) { state, _ in state.redisConnected = false },
        DemoIncident(
            name: "loop-latency", title: "the main loop slows to over a second", alert: "EngineLoopLatencyHigh",
            severity: "P1", seconds: 150
        ) { state, _ in state.loopLatency = 1.2 },
        DemoIncident(
            name: "global-risk-block", title: "risk guard sets the global block", alert: "GlobalRiskBlock",
            severity: "P0", seconds: 60
        ) { state, _ in state.globalBlock = true },
        DemoIncident(
            name: "ws-reconnect-storm", title: "bybit's WebSocket reconnects over and over",
            alert: "WebSocketReconnectStorm", severity: "P1", seconds: 60
        ) { state, elapsed in
            if elapsed % 5 == 0 { state.reconnects["bybit", default: 0] += 2 }
        },
        DemoIncident(
            name: "rate-limit-budget-low", title: "binance's request budget runs low",
            alert: "RateLimitBudgetLow", severity: "P2", seconds: 90
        ) { state, _ in state.budget["binance"] = 0.08 },
        DemoIncident(
            name: "http-429", title: "okx answers HTTP 429", alert: "ExchangeHTTP429", severity: "P1",
            seconds: 45
        ) { state, elapsed in if elapsed % 3 == 0 { state.http429["okx", default: 0] += 1 } },
        DemoIncident(
            name: "exchange-down", title: "bybit is DOWN", alert: "ExchangeDown", severity: "P1",
            seconds: 60
        ) { state, _ in state.health["bybit"] = 2 },
        DemoIncident(
            name: "arb-all-skipped", title: "every arbitrage route is skipped", alert: "ArbUniverseAllSkipped",
            severity: "P1", seconds: 120
        ) { state, _ in state.routesSkipped = state.routesTotal },
        DemoIncident(
            name: "inventory-imbalance", title: "ETH inventory drifts across venues",
            alert: "InventoryImbalanceHigh", severity: "P2", seconds: 120
        ) { state, _ in state.imbalance["ETH"] = 0.34 },
        DemoIncident(
            name: "state-save-failed", title: "a state snapshot fails to save",
            alert: "StateSnapshotSaveFailed", severity: "P2", seconds: 30
        ) { state, elapsed in
            if elapsed == 0 { state.stateSaveFailures += 1 }
        },
        DemoIncident(
            name: "exposure-high", title: "BTC exposure nears its limit", alert: "CrossExchangeExposureHigh",
            severity: "P1", seconds: 60
        ) { state, _ in state.exposure["BTC"] = 0.95 * DemoEngineState.exposureLimit },
        DemoIncident(
            name: "kill-switch", title: "the kill switch is pulled", alert: "KillSwitchActivated",
            severity: "P0", seconds: 45
        ) { state, _ in state.killSwitch = true },
        DemoIncident(
            name: "daily-stop-loss", title: "today's PnL falls below -3 %", alert: "DailyStopLoss",
            severity: "P0", seconds: 60
        ) { state, _ in state.pnlDay = -0.034 },
        DemoIncident(
            name: "reconcile-mismatch", title: "okx's SOL position disagrees with the engine's",
            alert: "ReconcileMismatch", severity: "P0", seconds: 45
        ) { state, _ in state.reconcileMismatch["okx SOL"] = 0.08 },
        DemoIncident(
            name: "order-rejections", title: "binance rejects a burst of orders",
            alert: "OrderRejectionBurst", severity: "P1", seconds: 30
        ) { state, elapsed in
            if elapsed < 4 { state.rejections["binance", default: 0] += 1 }
        },
    ]

    /// The incident called `name`, if there is one.
    package static func named(_ name: String) -> DemoIncident? {
        all.first { $0.name == name }
    }
}
