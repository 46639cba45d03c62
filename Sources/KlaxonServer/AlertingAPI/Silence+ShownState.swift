import KlaxonRouting

extension Silence {
    /// The state the API reports: expired once `endsAt` has passed, even for a silence expired
    /// before it started (`state(at:)` calls that one pending, since `now < startsAt`).
    func shownState(at now: Int64) -> Silence.State {
        now >= endsAt ? .expired : state(at: now)
    }
}
