import Foundation
import KlaxonRouting
import KlaxonTestSupport
import Testing

@testable import KlaxonStore

/// The two databases the store suite runs against.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The backends to test: PostgreSQL only when installed or required (`KLAXON_REQUIRE_PEERS=1`).
    static var enabled: [StoreBackend] { PostgresPeer.shouldRun ? allCases : [.sqlite] }

    /// A fresh, empty database of this kind.
    func makeDatabase() async throws -> TestDatabase {
        switch self {
        case .sqlite:
            let directory = try PeerDirectories.make(for: "sqlite")
            return TestDatabase(
                backend: self, location: directory.appendingPathComponent("nested/klaxon.db").path,
                cleanup: directory)
        case .postgres:
            let server = try await PostgresPeer.shared()
            return TestDatabase(backend: self, location: try await server.createDatabase(), cleanup: nil)
        }
    }
}

/// One test's database: open as many stores (instances, "restarts") on it as the test needs.
final class TestDatabase: Sendable {
    let backend: StoreBackend
    /// The SQLite file path or the PostgreSQL URL.
    let location: String
    private let cleanup: URL?

    init(backend: StoreBackend, location: String, cleanup: URL?) {
        self.backend = backend
        self.location = location
        self.cleanup = cleanup
    }

    deinit {
        if let cleanup { PeerDirectories.remove(cleanup) }
    }

    /// A store on this database writing as `instance` (each call opens a new connection).
    func open(instance: String = "klaxon-a", clock: ManualWallClock = ManualWallClock()) throws -> any AlertStore {
        switch backend {
        case .sqlite: try SQLiteAlertStore(path: location, instance: instance, clock: clock)
        case .postgres: try PostgresAlertStore(url: location, instance: instance, clock: clock)
        }
    }

    /// A raw connection, for what the store API cannot do: install a failing trigger, corrupt a row.
    func rawConnection() throws -> any SQLConnection {
        switch backend {
        case .sqlite: try SQLiteConnection(path: location)
        case .postgres: try PostgresConnection(url: location)
        }
    }
}
