import KlaxonMetrics
import KlaxonRouting

/// One firing alert as the API shows it: what mutes it (an inhibiting alert, silences, an ack)
/// and who would be told.
struct AlertStatusView {
    var alert: AlertEvent
    /// The ack in force, if any.
    var ack: Ack?
    /// Ids of the active silences that match it.
    var silencedBy: [String]
    /// The firing alert that inhibits it, as routing's inhibit rules decide.
    var inhibitedBy: [Fingerprint]
    /// The receivers of its severity in this environment (empty: audit only).
    var receivers: [String]

    /// The first thing that mutes it, in the pipeline's order, else `firing`.
    var state: String {
        if !inhibitedBy.isEmpty { return "inhibited" }
        if !silencedBy.isEmpty { return "silenced" }
        if ack != nil { return "acked" }
        return "firing"
    }

    /// Every firing alert the router knows, in fingerprint order, with its status at `now`.
    static func current(_ engine: RoutingEngine, now: Int64) -> [AlertStatusView] {
        engine.read { router in
            let firing = router.firingAlerts
            let silences = router.allSilences
            let acks = router.allAcks
            let inhibitor = Inhibitor(rules: router.settings.routing.inhibitRules)
            return firing.map { alert in
                AlertStatusView(
                    alert: alert,
                    ack: acks[alert.fingerprint].flatMap { $0.isActive(at: now) ? $0 : nil },
                    silencedBy: silences.filter { $0.mutes(alert.labels, at: now) }.map(\.id),
                    inhibitedBy: inhibitor.inhibitor(of: alert.labels, among: firing).map { [$0.fingerprint] } ?? [],
                    receivers: router.settings.receivers(for: alert.severity))
            }
        }
    }
}
