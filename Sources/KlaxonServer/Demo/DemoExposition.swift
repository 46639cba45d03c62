/// Renders the demo engine's KPIs as Prometheus text format 0.0.4, with the names, types and
/// labels of docs/kpi-catalogue.md.
enum DemoExposition {
    static func render(_ state: DemoEngineState, unixSeconds: Double) -> String {
        var text = ""
        func family(_ name: String, _ type: String, _ samples: [(labels: String, value: Double)]) {
            text += "# TYPE \(name) \(type)\n"
            for sample in samples {
                text += name + (sample.labels.isEmpty ? "" : "{\(sample.labels)}") + " \(sample.value)\n"
            }
        }
        func perExchange(_ values: [String: Double], extra: String = "") -> [(labels: String, value: Double)] {
            DemoEngineState.exchanges.map { ("exchange=\"\($0)\"\(extra)", values[$0] ?? 0) }
        }
        func perAsset(_ values: [String: Double]) -> [(labels: String, value: Double)] {
            DemoEngineState.assets.map { ("asset=\"\($0)\"", values[$0] ?? 0) }
        }
        func flag(_ on: Bool) -> Double { on ? 1 : 0 }
        family("engine_redis_connected", "gauge", [("", flag(state.redisConnected))])
        family("engine_loop_latency_seconds", "gauge", [("", state.loopLatency)])
        family("engine_state_save_failures_total", "counter", [("", state.stateSaveFailures)])
        family("engine_kill_switch_active", "gauge", [("", flag(state.killSwitch))])
        family("engine_loop_exceptions_total", "counter", [("", state.loopExceptions)])
        family("engine_consumer_lag_messages", "gauge", [("consumer=\"fills\",partition=\"0\"", state.consumerLag)])
        family("exchange_ws_reconnects_total", "counter", perExchange(state.reconnects, extra: ",stream=\"book\""))
        family("exchange_rate_limit_remaining_ratio", "gauge", perExchange(state.budget))
        family("exchange_http_429_total", "counter", perExchange(state.http429, extra: ",endpoint=\"/order\""))
        family("exchange_health_state", "gauge", perExchange(state.health))
        family("exchange_api_latency_seconds", "gauge", perExchange(state.apiLatency))
        family("exchange_orderbook_age_seconds", "gauge", perExchange(state.orderBookAge))
        family("exchange_api_consecutive_errors", "gauge", perExchange([:]))
        family("risk_guard_global_block", "gauge", [("", flag(state.globalBlock))])
        family("arb_routes_total", "gauge", [("", state.routesTotal)])
        family("arb_routes_skipped", "gauge", [("", state.routesSkipped)])
        family("arb_universe_eligible_assets", "gauge", [("", state.eligibleAssets)])
        family("cross_sync_inventory_imbalance_ratio", "gauge", perAsset(state.imbalance))
        family("cross_sync_exposure_usd", "gauge", perAsset(state.exposure))
        family(
            "cross_sync_exposure_limit_usd", "gauge",
            DemoEngineState.assets.map { ("asset=\"\($0)\"", DemoEngineState.exposureLimit) })
        family("engine_pnl_day_ratio", "gauge", [("", state.pnlDay)])
        family("engine_pnl_week_ratio", "gauge", [("", state.pnlWeek)])
        family("engine_drawdown_ratio", "gauge", [("", state.drawdown)])
        family(
            "engine_order_rejections_total", "counter", perExchange(state.rejections, extra: ",reason=\"post_only\""))
        var drift: [(labels: String, value: Double)] = []
        var driftUSD: [(labels: String, value: Double)] = []
        for exchange in DemoEngineState.exchanges {
            for asset in DemoEngineState.assets {
                let labels = "exchange=\"\(exchange)\",asset=\"\(asset)\""
                let share = state.reconcileMismatch["\(exchange) \(asset)"] ?? state.reconcileDrift
                drift.append((labels, share))
                driftUSD.append((labels, share * DemoEngineState.positionUSD))
            }
        }
        family("engine_reconcile_drift_ratio", "gauge", drift)
        family("engine_reconcile_drift_usd", "gauge", driftUSD)
        family("engine_orders_submitted_total", "counter", perExchange(state.submitted, extra: ",side=\"buy\""))
        family("engine_orders_filled_total", "counter", perExchange(state.filled, extra: ",side=\"buy\""))
        var updates: [(labels: String, value: Double)] = []
        for exchange in DemoEngineState.exchanges {
            for symbol in DemoEngineState.symbols {
                updates.append(("exchange=\"\(exchange)\",symbol=\"\(symbol)\"", (unixSeconds - 0.2).rounded()))
            }
        }
        family("market_data_last_update_timestamp_seconds", "gauge", updates)
        return text
    }
}
