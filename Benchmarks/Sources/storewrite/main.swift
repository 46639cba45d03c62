// The store's audit write rate: events/s written to SQLite and PostgreSQL, in batches of 1 and 100,
// through `AlertStore.apply` directly (one transaction per batch, so one commit per batch) and through
// `StoreWriter` (routing's path: batches spooled and merged, up to 1 000 writes per transaction).
// Prints one line per figure and KLAXON_STORE_* lines for scripts (bench/store-write.sh).
// Arguments: --sqlite PATH (default: a file in a new temporary directory), --postgres URL (optional),
// --runs N (default 3; the median is printed), --events N (events per timed run, default 20000;
// direct batches of 1 use a tenth, since each is its own commit).
import BenchSupport
import Foundation
import KlaxonMetrics
import KlaxonRouting
import KlaxonRuntime
import KlaxonStore

struct Options {
    var sqlitePath: String?
    var postgresURL: String?
    var runs = 3
    var events = 20_000

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--sqlite": sqlitePath = iterator.next()
            case "--postgres": postgresURL = iterator.next()
            case "--runs": runs = iterator.next().flatMap(Int.init).map { max($0, 1) } ?? runs
            case "--events": events = iterator.next().flatMap(Int.init).map { max($0, 100) } ?? events
            default:
                print("storewrite: unknown argument \(argument)")
                exit(2)
            }
        }
    }
}

/// A fired event as routing writes it: an alert's identity columns, its labels and a detail line.
func event(_ index: Int) -> StoreWrite {
    let labels = Labels([
        "alertname": "ExchangeFrozen", "severity": "P0", "source": "ExchangeHealth", "rule_id": "D75.HEALTH.FROZEN",
        "venue": "binance", "symbol": "BTCUSDT-\(index % 50)",
    ])
    let alert = AlertEvent(labels: labels, status: .firing, activeAt: 1_000, startsAt: 2_000, value: 1)
    return .audit(AuditRecord(time: 1_700_000_000_000 + Int64(index), kind: .fired, alert: alert, detail: "fired"))
}

/// Seconds to apply `events` events in batches of `batch` with `store.apply`.
func timeDirect(_ store: any AlertStore, events: Int, batch: Int) throws -> Double {
    let batches = (0..<(events / batch)).map { start in (0..<batch).map { event(start * batch + $0) } }
    let clock = ContinuousClock()
    let start = clock.now
    for writes in batches { try store.apply(writes) }
    return Timing.seconds(clock.now - start)
}

/// Seconds from the first submit until a `StoreWriter` has applied all `events`.
func timeWriter(_ store: any AlertStore, events: Int, batch: Int) throws -> Double {
    let batches = (0..<(events / batch)).map { start in (0..<batch).map { event(start * batch + $0) } }
    let writer = StoreWriter(store: store, logger: Logger(level: .warning), capacity: events + 1)
    writer.start()
    defer { writer.stop() }
    let clock = ContinuousClock()
    let start = clock.now
    for writes in batches { writer.submit(writes) }
    while writer.stats.appliedWrites < events {
        if let error = writer.stats.lastError { throw error }
        usleep(500)
    }
    return Timing.seconds(clock.now - start)
}

func median(_ values: [Double]) -> Double { Summary(values).median }

let options = Options(CommandLine.arguments.dropFirst())
var backends: [(name: String, open: () throws -> any AlertStore)] = []
let sqlitePath =
    options.sqlitePath
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("storewrite-\(UUID().uuidString)/klaxon.db").path
backends.append(("sqlite", { try SQLiteAlertStore(path: sqlitePath, instance: "bench") }))
if let url = options.postgresURL {
    backends.append(("postgres", { try PostgresAlertStore(url: url, instance: "bench") }))
}

print("storewrite: audit events/s, median of \(options.runs) runs, \(options.events) events per run")
do {
    for backend in backends {
        let store = try backend.open()
        // One untimed warm-up of each path.
        _ = try timeDirect(store, events: 200, batch: 100)
        _ = try timeWriter(store, events: 200, batch: 1)
        for (mode, batch) in [("apply", 1), ("apply", 100), ("writer", 1), ("writer", 100)] {
            let events = mode == "apply" && batch == 1 ? max(options.events / 10, 100) : options.events
            var rates: [Double] = []
            for _ in 0..<options.runs {
                let seconds =
                    mode == "apply"
                    ? try timeDirect(store, events: events, batch: batch)
                    : try timeWriter(store, events: events, batch: batch)
                rates.append(Double(events) / seconds)
            }
            let rate = median(rates)
            let label = "\(backend.name) \(mode) batch \(batch)".padding(toLength: 26, withPad: " ", startingAt: 0)
            print("  \(label) \(Format.grouped(rate)) events/s")
            print("KLAXON_STORE_\(backend.name.uppercased())_\(mode.uppercased())_B\(batch)_EVENTS_PER_SECOND=\(rate)")
        }
    }
} catch {
    print("storewrite: \(error)")
    exit(1)
}
if options.sqlitePath == nil {
    try? FileManager.default.removeItem(at: URL(fileURLWithPath: sqlitePath).deletingLastPathComponent())
}
