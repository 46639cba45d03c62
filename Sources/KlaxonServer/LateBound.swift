import Synchronization

/// A value set once after the closures that read it were made (the rule manager's notify
/// function needs the rule manager it belongs to).
final class LateBound<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    /// The value, nil until it is set.
    var value: Value? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
