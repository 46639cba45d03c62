/// The KPIs of the demo's synthetic trading engine at one moment; incidents change them and
/// `DemoEngine` renders them in the text format an engine would push.
package struct DemoEngineState: Sendable {
    package static let exchanges = ["binance", "okx", "bybit"]
    package static let assets = ["BTC", "ETH", "SOL"]
    package static let symbols = ["BTC-USDT", "ETH-USDT", "SOL-USDT"]
    package static let exposureLimit = 250_000.0

    package var redisConnected = true
    package var loopLatency = 0.02
    package var killSwitch = false
    package var globalBlock = false
    package var pnlDay = 0.004
    package var pnlWeek = 0.012
    package var drawdown = 0.021
    package var routesTotal = 24.0
    package var routesSkipped = 3.0
    package var eligibleAssets = 3.0
    package var consumerLag = 40.0
    /// Position drift found by the last reconciliation, as a share of the position.
    package var reconcileDrift = 0.0
    /// Drift of single positions, keyed `"<exchange> <asset>"`, over `reconcileDrift` (an incident).
    package var reconcileMismatch: [String: Double] = [:]
    /// The value of each position in US dollars, for the drift in dollars.
    package static let positionUSD = 20_000.0
    package var orderBookAge: [String: Double] = [:]
    package var apiLatency: [String: Double] = [:]
    package var budget: [String: Double] = [:]
    package var health: [String: Double] = [:]
    package var imbalance: [String: Double] = [:]
    package var exposure: [String: Double] = [:]
    // Counters only grow; incidents add to them.
    package var stateSaveFailures = 0.0
    package var loopExceptions = 0.0
    package var reconnects: [String: Double] = [:]
    package var http429: [String: Double] = [:]
    package var rejections: [String: Double] = [:]
    package var submitted: [String: Double] = [:]
    package var filled: [String: Double] = [:]

    package init() {}
}
