import KlaxonRuntime
import Synchronization

/// Keeps every line it is given, for tests that assert on logs.
package final class RecordingLogSink: LogSink {
    private let storage = Mutex<[String]>([])

    package init() {}

    package func write(line: String) {
        storage.withLock { $0.append(line) }
    }

    /// The lines written so far, oldest first.
    package var lines: [String] { storage.withLock { $0 } }
}
