import Foundation

/// Severity of a log line, ordered from chattiest to most serious.
package enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error

    package var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    package init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    /// Parses a level as the command line and `log.level` accept it: a name, or `warn` for warning.
    package init?(parsing text: String) {
        self.init(name: text == "warn" ? "warning" : text)
    }

    /// The accepted spellings, for error messages.
    package static let spellings = "debug, info, warning (or warn), error"

    package static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How a log line is written: logfmt (`key=value`) or one JSON object per line.
package enum LogFormat: String, Sendable, CaseIterable {
    case logfmt
    case json
}

/// Where formatted log lines go. Standard error in production, a recorder in tests
/// (`RecordingLogSink` in KlaxonTestSupport).
package protocol LogSink: Sendable {
    func write(line: String)
}

/// Writes each line to standard error in one `write(2)` so lines from threads never interleave.
package struct StandardErrorSink: LogSink {
    package init() {}

    package func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(2, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// A structured logger: a constant message plus metadata with dotted keys.
///
/// A value type passed down to whoever logs; libraries never create their own.
/// Messages and metadata are autoclosures so a disabled level costs nothing.
package struct Logger: Sendable {
    package var level: LogLevel
    package var format: LogFormat
    package var metadata: [String: String]
    private let sink: any LogSink
    private let clock: any WallClock

    package init(
        level: LogLevel = .info,
        format: LogFormat = .logfmt,
        sink: any LogSink = StandardErrorSink(),
        clock: any WallClock = SystemWallClock(),
        metadata: [String: String] = [:]
    ) {
        self.level = level
        self.format = format
        self.sink = sink
        self.clock = clock
        self.metadata = metadata
    }

    /// A logger that drops everything, for code paths under test that do not care about logs.
    package static var disabled: Logger {
        Logger(level: .error, sink: DiscardingSink())
    }

    /// This logger with extra metadata attached to every line.
    package func with(_ extra: [String: String]) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    package func debug(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [String: String] = [:]) {
        log(.debug, message(), extra())
    }

    package func info(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [String: String] = [:]) {
        log(.info, message(), extra())
    }

    package func warning(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [String: String] = [:]) {
        log(.warning, message(), extra())
    }

    package func error(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [String: String] = [:]) {
        log(.error, message(), extra())
    }

    private func log(
        _ lineLevel: LogLevel, _ message: @autoclosure () -> String, _ extra: @autoclosure () -> [String: String]
    ) {
        guard lineLevel >= level else { return }
        var fields = metadata
        fields.merge(extra()) { _, new in new }
        let time = LogTime.rfc3339(milliseconds: clock.nowMilliseconds())
        let ordered =
            [("ts", time), ("level", lineLevel.name), ("msg", message())]
            + fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        switch format {
        case .logfmt:
            sink.write(line: ordered.map { "\($0.0)=\(LogEscaping.logfmtValue($0.1))" }.joined(separator: " "))
        case .json:
            let body = ordered.map { "\(JSONString.quoted($0.0)):\(JSONString.quoted($0.1))" }
            sink.write(line: "{" + body.joined(separator: ",") + "}")
        }
    }
}

private struct DiscardingSink: LogSink {
    func write(line: String) {}
}
