import Foundation
import KlaxonRuntime

/// The demo's synthetic trading engine: every KPI of docs/kpi-catalogue.md for three exchanges,
/// with noise, a daily cycle and counters that only grow, rendered as the text-format body an
/// engine pushes each second. Pure apart from its seeded generator: time and the incident come in.
package struct DemoEngine: Sendable {
    /// Where the demo pushes, as an engine would: `/metrics/job/<job>/instance/<instance>`.
    package static let pushPath = "/metrics/job/trading-engine/instance/demo-engine-1"

    private var counters = DemoEngineState()
    private var random: SplitMix64

    package init(seed: UInt64 = 0x4B4C_4158_4F4E) {
        random = SplitMix64(seed: seed)
    }

    /// The KPIs at `unixMilliseconds`, with `incident` applied when one is running (`elapsed`
    /// seconds into it); advances the counters by one second of trading.
    package mutating func tick(unixMilliseconds: Int64, incident: (DemoIncident, elapsed: Int)?) -> String {
        var state = counters
        let seconds = Double(unixMilliseconds) / 1000
        // A daily cycle: busier (slower loop, more orders) in the European and US afternoon.
        let cycle = 1 + 0.5 * sin(2 * Double.pi * (seconds.truncatingRemainder(dividingBy: 86_400) / 86_400 - 0.25))
        state.loopLatency = 0.015 * cycle + noise(0.004)
        state.consumerLag = max(0, 40 * cycle + noise(15))
        state.pnlDay = 0.004 + noise(0.001)
        state.pnlWeek = 0.012 + noise(0.001)
        state.drawdown = 0.021 + noise(0.002)
        state.reconcileDrift = abs(noise(0.0004))
        for exchange in DemoEngineState.exchanges {
            state.orderBookAge[exchange] = 0.2 + abs(noise(0.15))
            state.apiLatency[exchange] = 0.06 * cycle + abs(noise(0.02))
            state.budget[exchange] = 0.7 + noise(0.08)
            state.health[exchange] = 0
            let orders = (4 * cycle + noise(1)).rounded()
            state.submitted[exchange, default: 0] += max(0, orders)
            state.filled[exchange, default: 0] += max(0, orders - (random.unit() < 0.05 ? 1 : 0))
        }
        for asset in DemoEngineState.assets {
            state.imbalance[asset] = noise(0.05)
            state.exposure[asset] = DemoEngineState.exposureLimit * (0.4 + noise(0.05))
        }
        if let (incident, elapsed) = incident { incident.effect(&state, elapsed) }
        counters.stateSaveFailures = state.stateSaveFailures
        counters.loopExceptions = state.loopExceptions
        counters.reconnects = state.reconnects
        counters.http429 = state.http429
        counters.rejections = state.rejections
        counters.submitted = state.submitted
        counters.filled = state.filled
        return DemoExposition.render(state, unixSeconds: seconds)
    }

    /// Symmetric noise within ±`amplitude`.
    private mutating func noise(_ amplitude: Double) -> Double {
        (random.unit() * 2 - 1) * amplitude
    }
}
